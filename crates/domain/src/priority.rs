//! How important and how pressing a piece of work is: the classifier's verdict on a request,
//! carried by approval requests and queued work, and the order in which people get them.

use serde::{Deserialize, Serialize};

/// A scale of four levels, declared lowest first so that `Ord` is the queue's order, and
/// written in JSON and in storage as its lowercase word.
macro_rules! level_scale {
    ($(#[$doc:meta])* $name:ident, $what:literal, [$($variant:ident => $word:literal),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            Serialize,
            Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Every level, lowest first.
            const ALL: &[Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word),+
                }
            }

            pub fn parse(s: &str) -> Result<Self, String> {
                match s {
                    $($word => Ok(Self::$variant),)+
                    other => Err(format!("unknown {} {other:?}", $what)),
                }
            }

            /// 0 for the lowest level up to 3 for the highest: how the queue stores and
            /// sorts it.
            pub fn rank(self) -> i32 {
                self as i32
            }

            pub fn from_rank(rank: i32) -> Option<Self> {
                Self::ALL.get(usize::try_from(rank).ok()?).copied()
            }
        }
    };
}

level_scale!(
    /// How much is at stake. Declared lowest first, so `Ord` is the queue's order.
    Priority,
    "priority",
    [Low => "low", Medium => "medium", High => "high", Critical => "critical"]
);

level_scale!(
    /// How soon it must be dealt with. Declared lowest first, so `Ord` is the queue's order.
    Urgency,
    "urgency",
    [Low => "low", Medium => "medium", High => "high", Urgent => "urgent"]
);

impl Priority {
    /// One level up, as an escalation does; `critical` is already the top.
    pub fn raised(self) -> Self {
        match self {
            Priority::Low => Priority::Medium,
            Priority::Medium => Priority::High,
            Priority::High | Priority::Critical => Priority::Critical,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_round_trip_and_rank_in_order() {
        let all = [Priority::Low, Priority::Medium, Priority::High, Priority::Critical];
        for (i, p) in all.into_iter().enumerate() {
            assert_eq!(Priority::parse(p.as_str()).unwrap(), p);
            assert_eq!(p.rank(), i as i32);
            assert_eq!(Priority::from_rank(p.rank()), Some(p));
        }
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Priority::from_rank(4), None);
        assert_eq!(Priority::from_rank(-1), None);
        assert!(Priority::parse("Critical").is_err());
    }

    #[test]
    fn raising_a_priority_stops_at_critical() {
        assert_eq!(Priority::Low.raised(), Priority::Medium);
        assert_eq!(Priority::Medium.raised(), Priority::High);
        assert_eq!(Priority::High.raised(), Priority::Critical);
        assert_eq!(Priority::Critical.raised(), Priority::Critical);
    }

    #[test]
    fn urgencies_round_trip_and_rank_in_order() {
        let all = [Urgency::Low, Urgency::Medium, Urgency::High, Urgency::Urgent];
        for (i, u) in all.into_iter().enumerate() {
            assert_eq!(Urgency::parse(u.as_str()).unwrap(), u);
            assert_eq!(u.rank(), i as i32);
            assert_eq!(Urgency::from_rank(u.rank()), Some(u));
        }
        assert_eq!(Urgency::from_rank(4), None);
        let parsed: Urgency = serde_json::from_value(serde_json::json!("urgent")).unwrap();
        assert_eq!(parsed, Urgency::Urgent);
        assert!(serde_json::from_value::<Urgency>(serde_json::json!("critical")).is_err());
    }
}
