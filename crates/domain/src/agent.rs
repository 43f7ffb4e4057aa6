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
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skills_are_normalised_and_checked() {
        assert_eq!(Skill::parse(" Billing ").unwrap().as_str(), "billing");
        assert!(Skill::parse("").is_err());
        assert!(Skill::parse("drop;table").is_err());
        assert!(Skill::parse(&"x".repeat(51)).is_err());
    }

    #[test]
    fn statuses_round_trip() {
        for s in [AgentStatus::Online, AgentStatus::Offline, AgentStatus::Busy, AgentStatus::Away] {
            assert_eq!(AgentStatus::parse(s.as_str()).unwrap(), s);
        }
    }
}
