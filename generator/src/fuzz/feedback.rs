//! Feedbacks without coverage maps. An input is *interesting* (kept in the
//! corpus) when its (verdict, signature) or one of its features (the
//! target's: construct families, declaration kinds, term constructors, …)
//! is new to the campaign — a new feature, not merely a new combination of
//! known ones, so the corpus keeps what adds something; it is an *objective* (a finding for
//! LibAFL's statistics) when its verdict is a finding (a timeout only when
//! timeouts count) with a signature not seen as
//! an objective before. What was seen lives in the state's metadata, so it
//! survives restarts and is the same for every client that shares events.

use std::borrow::Cow;
use std::collections::HashSet;

use libafl::executors::ExitKind;
use libafl::feedbacks::{Feedback, StateInitializer};
use libafl::{Error, HasNamedMetadata};
use libafl_bolts::tuples::{Handle, Handled, MatchNameRef};
use libafl_bolts::Named;
use serde::{Deserialize, Serialize};

use super::observer::{Outcome, VerdictObserver};
use crate::harness::Verdict;

/// Keys seen so far by one feedback.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SeenKeys {
    pub keys: HashSet<String>,
}

libafl_bolts::impl_serdeany!(SeenKeys);

fn outcome<'a, OT: MatchNameRef>(
    observers: &'a OT,
    handle: &Handle<VerdictObserver>,
) -> Result<&'a Outcome, Error> {
    observers
        .get(handle)
        .map(|o| &o.outcome)
        .ok_or_else(|| Error::key_not_found("the verdict observer is missing"))
}

/// Inserts `keys` into the feedback's metadata; true when any was new.
fn insert_new<S: HasNamedMetadata>(
    state: &mut S,
    name: &str,
    keys: impl IntoIterator<Item = String>,
) -> Result<bool, Error> {
    let seen = state.named_metadata_mut::<SeenKeys>(name)?;
    let mut new = false;
    for k in keys {
        new |= seen.keys.insert(k);
    }
    Ok(new)
}

/// `Named` and a [`SeenKeys`] set in the state under the feedback's name,
/// for a feedback struct with a `name` field.
macro_rules! seen_keys_feedback {
    ($t:ty) => {
        impl Named for $t {
            fn name(&self) -> &Cow<'static, str> {
                &self.name
            }
        }

        impl<S: HasNamedMetadata> StateInitializer<S> for $t {
            fn init_state(&mut self, state: &mut S) -> Result<(), Error> {
                state.add_named_metadata_checked(&self.name, SeenKeys::default())?;
                Ok(())
            }
        }
    };
}

const NOVELTY: &str = "novelty";

fn feature_keys(features: &[String]) -> impl Iterator<Item = String> + '_ {
    features.iter().map(|f| format!("feature|{f}"))
}

/// Marks an input's features as seen without a test (an entry read back
/// from disk): the signatures it produced are not known, its features are.
pub fn remember_features<S: HasNamedMetadata>(
    state: &mut S,
    features: &[String],
) -> Result<bool, Error> {
    insert_new(state, NOVELTY, feature_keys(features))
}

/// Novelty of verdict signatures and of features.
#[derive(Debug, Clone)]
pub struct NoveltyFeedback {
    name: Cow<'static, str>,
    handle: Handle<VerdictObserver>,
}

impl NoveltyFeedback {
    pub fn new(observer: &VerdictObserver) -> Self {
        NoveltyFeedback {
            name: Cow::Borrowed(NOVELTY),
            handle: observer.handle(),
        }
    }
}

seen_keys_feedback!(NoveltyFeedback);

impl<EM, I, OT, S> Feedback<EM, I, OT, S> for NoveltyFeedback
where
    OT: MatchNameRef,
    S: HasNamedMetadata,
{
    fn is_interesting(
        &mut self,
        state: &mut S,
        _manager: &mut EM,
        _input: &I,
        observers: &OT,
        _exit_kind: &ExitKind,
    ) -> Result<bool, Error> {
        let o = outcome(observers, &self.handle)?;
        let Some(verdict) = o.verdict else {
            return Ok(false);
        };
        let keys = std::iter::once(format!("signature|{verdict}|{}", o.signature))
            .chain(feature_keys(&o.features));
        insert_new(state, &self.name, keys)
    }
}

/// Findings with a signature not yet counted.
#[derive(Debug, Clone)]
pub struct FindingFeedback {
    name: Cow<'static, str>,
    handle: Handle<VerdictObserver>,
    timeouts: bool,
}

impl FindingFeedback {
    /// `timeouts`: whether timeouts count as objectives.
    pub fn new(observer: &VerdictObserver, timeouts: bool) -> Self {
        FindingFeedback {
            name: Cow::Borrowed("findings"),
            handle: observer.handle(),
            timeouts,
        }
    }
}

seen_keys_feedback!(FindingFeedback);

impl<EM, I, OT, S> Feedback<EM, I, OT, S> for FindingFeedback
where
    OT: MatchNameRef,
    S: HasNamedMetadata,
{
    fn is_interesting(
        &mut self,
        state: &mut S,
        _manager: &mut EM,
        _input: &I,
        observers: &OT,
        _exit_kind: &ExitKind,
    ) -> Result<bool, Error> {
        let o = outcome(observers, &self.handle)?;
        let counts = match o.verdict {
            Some(Verdict::Timeout) => self.timeouts,
            Some(v) => v.is_finding(),
            None => false,
        };
        if !counts {
            return Ok(false);
        }
        let key = format!(
            "{}|{}",
            o.verdict.map(|v| v.as_str()).unwrap_or(""),
            o.signature
        );
        insert_new(state, &self.name, [key])
    }
}
