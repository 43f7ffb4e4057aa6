//! A cap on the sockets open at once per conversation (customer sockets) or per login
//! session (the staff socket). Each socket holds a task, a bus subscription and a
//! connection, and opening one costs the holder of a sessionId or a token nothing, so
//! without a cap one client could hold thousands. A widget or a console needs one per open
//! tab; the cap leaves room for several.

use crate::error::ApiError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Sockets one conversation, or one staff session, may hold open at once.
pub const SOCKETS_PER_KEY: usize = 8;

#[derive(Default)]
pub struct SocketSlots {
    open: Mutex<HashMap<Uuid, usize>>,
}

impl SocketSlots {
    /// A slot for one more socket of `key`, held until the returned guard is dropped
    /// (when the socket ends), or 429 when `key` already holds [`SOCKETS_PER_KEY`].
    pub fn take(self: &Arc<Self>, key: Uuid) -> Result<SocketSlot, ApiError> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key).or_insert(0);
        if *count >= SOCKETS_PER_KEY {
            // A socket frees its slot as soon as it closes; a tab reconnecting soon is fine.
            return Err(ApiError::RateLimited { retry_after_secs: 5 });
        }
        *count += 1;
        Ok(SocketSlot { slots: Arc::clone(self), key })
    }

    #[cfg(test)]
    fn held(&self, key: Uuid) -> usize {
        self.open.lock().unwrap().get(&key).copied().unwrap_or(0)
    }
}

/// One open socket's place; dropping it frees the place.
pub struct SocketSlot {
    slots: Arc<SocketSlots>,
    key: Uuid,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            // Keys leave the map with their last socket, so it holds only live keys.
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_holds_at_most_the_cap_and_dropping_frees_a_place() {
        let slots = Arc::new(SocketSlots::default());
        let (key, other) = (Uuid::new_v4(), Uuid::new_v4());
        let mut held: Vec<_> = (0..SOCKETS_PER_KEY).map(|_| slots.take(key).unwrap()).collect();
        assert!(matches!(slots.take(key), Err(ApiError::RateLimited { .. })));
        // Another key is not affected.
        let _other = slots.take(other).unwrap();
        held.pop();
        let _again = slots.take(key).expect("a freed place can be taken");
        drop(held);
        drop(_again);
        assert_eq!(slots.held(key), 0);
        assert!(slots.open.lock().unwrap().get(&key).is_none(), "an idle key leaves the map");
    }
}
