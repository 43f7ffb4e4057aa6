use serde::{Deserialize, Serialize};

/// An agent's availability, as the agent sets it; routing sends work only to `online` agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    Online,
    Offline,
    Busy,
    Away,
}

impl AgentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AgentStatus::Online => "online",
            AgentStatus::Offline => "offline",
            AgentStatus::Busy => "busy",
            AgentStatus::Away => "away",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "online" => Ok(AgentStatus::Online),
            "offline" => Ok(AgentStatus::Offline),
            "busy" => Ok(AgentStatus::Busy),
            "away" => Ok(AgentStatus::Away),
            other => Err(format!("unknown agent status {other:?}")),
        }
    }
}

/// A skill an agent has and a conversation may need (`billing`, `spanish`, `tier-2`).
/// Lower-cased so that "Billing" and "billing" route the same way.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, min_length = 1, max_length = 50)]
pub struct Skill(String);

impl Skill {
    pub const MAX_PER_AGENT: usize = 50;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() || s.len() > 50 {
            return Err("a skill must be 1 to 50 characters".to_owned());
        }
        if !s.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ') {
            return Err("a skill may contain letters, digits, spaces, '-' and '_'".to_owned());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Skill {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Skill> for String {
    fn from(s: Skill) -> String {
        s.0
    }
}

/// An agent's skills: at most 50 (`Skill::MAX_PER_AGENT`), each valid, so a handler
/// cannot forget the bound.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "Vec<Skill>", into = "Vec<Skill>")]
#[schema(value_type = Vec<Skill>, max_items = 50)]
pub struct Skills(Vec<Skill>);

impl Skills {
    pub fn as_slice(&self) -> &[Skill] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<Skill> {
        self.0
    }
}

impl TryFrom<Vec<Skill>> for Skills {
    type Error = String;
    fn try_from(skills: Vec<Skill>) -> Result<Self, Self::Error> {
        if skills.len() > Skill::MAX_PER_AGENT {
            return Err(format!("at most {} skills", Skill::MAX_PER_AGENT));
        }
        Ok(Self(skills))
    }
}

impl From<Skills> for Vec<Skill> {
    fn from(s: Skills) -> Vec<Skill> {
        s.0
    }
}

/// How many open items (conversations and approvals) routing may give an agent at once:
/// 1 to 100, 5 unless an admin says otherwise.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "i64", into = "u32")]
#[schema(value_type = u32, minimum = 1, maximum = 100)]
pub struct AgentCapacity(u32);

impl AgentCapacity {
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 100;
    pub const DEFAULT: u32 = 5;

    pub fn parse(n: i64) -> Result<Self, String> {
        match u32::try_from(n) {
            Ok(c @ Self::MIN..=Self::MAX) => Ok(Self(c)),
            _ => Err(format!("must be a whole number from {} to {}", Self::MIN, Self::MAX)),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for AgentCapacity {
    fn default() -> Self {
        Self(Self::DEFAULT)
    }
}

impl TryFrom<i64> for AgentCapacity {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        Self::parse(n)
    }
}

impl From<AgentCapacity> for u32 {
    fn from(c: AgentCapacity) -> u32 {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_are_bounded_in_number() {
        let many = |n: usize| -> Vec<Skill> {
            (0..n).map(|i| Skill::parse(&format!("s{i}")).unwrap()).collect()
        };
        assert_eq!(Skills::try_from(many(Skill::MAX_PER_AGENT)).unwrap().as_slice().len(), 50);
        assert_eq!(
            Skills::try_from(many(Skill::MAX_PER_AGENT + 1)).unwrap_err(),
            "at most 50 skills"
        );
        let parsed: Result<Skills, _> = serde_json::from_value(serde_json::json!(["ok", "no;"]));
        assert!(parsed.is_err(), "each skill is still checked");
    }

    #[test]
    fn skills_are_normalised_and_checked() {
        assert_eq!(Skill::parse(" Billing ").unwrap().as_str(), "billing");
        assert!(Skill::parse("").is_err());
        assert!(Skill::parse("drop;table").is_err());
        assert!(Skill::parse(&"x".repeat(51)).is_err());
    }

    #[test]
    fn capacity_is_one_to_a_hundred_and_five_by_default() {
        assert_eq!(AgentCapacity::default().get(), 5);
        assert_eq!(AgentCapacity::parse(1).unwrap().get(), 1);
        assert_eq!(AgentCapacity::parse(100).unwrap().get(), 100);
        for bad in [0, 101, -1, i64::MAX] {
            assert!(AgentCapacity::parse(bad).is_err(), "{bad}");
        }
        let parsed: Result<AgentCapacity, _> = serde_json::from_value(serde_json::json!(0));
        assert!(parsed.is_err(), "deserialising goes through the same check");
        let parsed: AgentCapacity = serde_json::from_value(serde_json::json!(2)).unwrap();
        assert_eq!(serde_json::to_value(parsed).unwrap(), serde_json::json!(2));
    }

    #[test]
    fn statuses_round_trip() {
        for s in [AgentStatus::Online, AgentStatus::Offline, AgentStatus::Busy, AgentStatus::Away] {
            assert_eq!(AgentStatus::parse(s.as_str()).unwrap(), s);
        }
    }
}
