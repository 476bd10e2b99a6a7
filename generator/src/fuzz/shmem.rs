//! LLMP's shared memory that does not outlive its processes.
//!
//! LibAFL's default provider on Linux makes System V segments and removes
//! one only when its creator drops it; a creator that is killed (a client
//! under SIGKILL, the OOM killer, a broker killed with its launcher) leaves
//! its segments behind until the machine reboots, 1 MiB and more each
//! (`ipcs -m`). This provider makes the same segments but marks each for
//! removal (`IPC_RMID`) as soon as it is attached: Linux frees a marked
//! segment when its last process detaches or dies, and still lets other
//! processes attach it by id until then (shmat(2), NOTES: "Linux permits a
//! process to attach a shared memory segment that has already been marked
//! for deletion"). Every segment LLMP shares is attached by its creator
//! until another process holds it (a client's page by the broker, the
//! broker's by its clients, a respawner's state map by its client), so
//! nothing LLMP reads is lost, and nothing is left once the campaign's
//! processes are gone.

use libafl_bolts::shmem::{ShMem, ShMemId, ShMemProvider, UnixShMem, UnixShMemProvider};
use libafl_bolts::Error;

/// The shared memory of leanfuzz's LLMP campaigns.
pub type CampaignShMem = UnixShMem;

/// System V shared memory, each segment marked for removal at creation.
#[derive(Debug, Clone, Default)]
pub struct SelfRemovingShMemProvider {
    inner: UnixShMemProvider,
}

impl ShMemProvider for SelfRemovingShMemProvider {
    type ShMem = CampaignShMem;

    fn new() -> Result<Self, Error> {
        Ok(SelfRemovingShMemProvider {
            inner: UnixShMemProvider::new()?,
        })
    }

    fn new_shmem(&mut self, map_size: usize) -> Result<Self::ShMem, Error> {
        let shmem = self.inner.new_shmem(map_size)?;
        mark_for_removal(shmem.id());
        Ok(shmem)
    }

    fn shmem_from_id_and_size(&mut self, id: ShMemId, size: usize) -> Result<Self::ShMem, Error> {
        self.inner.shmem_from_id_and_size(id, size)
    }
}

/// Marks segment `id` for removal once no process has it attached.
fn mark_for_removal(id: ShMemId) {
    let id: i32 = id.into();
    // SAFETY: IPC_RMID takes no buffer; a failure (the segment gone
    // already) leaves nothing to undo.
    unsafe {
        libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether segment `id` is still listed by the kernel.
    fn listed(id: i32) -> bool {
        std::fs::read_to_string("/proc/sysvipc/shm")
            .unwrap()
            .lines()
            .skip(1)
            .any(|l| l.split_whitespace().nth(1) == Some(id.to_string().as_str()))
    }

    #[test]
    fn a_segment_stays_attachable_while_held_and_goes_with_its_last_holder() {
        let mut provider = SelfRemovingShMemProvider::new().unwrap();
        let mut made = provider.new_shmem(4096).unwrap();
        made[0] = 42;
        let id: i32 = made.id().into();
        assert!(listed(id));
        // Another attachment by id, as an LLMP peer makes it, sees the
        // same bytes although the segment is marked.
        let seen = provider.shmem_from_id_and_size(made.id(), 4096).unwrap();
        assert_eq!(seen[0], 42);
        drop(made);
        assert!(listed(id), "the second holder keeps it");
        drop(seen);
        assert!(!listed(id), "gone with its last holder");
    }
}
