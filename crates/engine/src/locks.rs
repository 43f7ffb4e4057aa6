//! One lock per conversation, so that its messages are handled strictly in order: a turn
//! takes the lock before it writes the customer's message and keeps it until the reply is
//! written. tokio's mutex is fair (first come, first served), so two messages sent at once
//! are answered in the order they arrived.
//!
//! The locks are per process. Several nodes serving one conversation at once (a customer
//! whose requests a load balancer spreads) are kept consistent by the compare-and-set on
//! the conversation's status in storage, not ordered; sticky sessions order them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use switchboard_domain::ConversationId;
use tokio::sync::OwnedMutexGuard;

#[derive(Default)]
pub struct ConversationLocks {
    locks: Mutex<HashMap<ConversationId, Weak<tokio::sync::Mutex<()>>>>,
}

impl ConversationLocks {
    /// Waits for the conversation's turn. The entry lives as long as someone holds or waits
    /// for it; dead entries are swept as the map grows, so it stays the size of the
    /// conversations active right now.
    pub async fn acquire(&self, id: ConversationId) -> OwnedMutexGuard<()> {
        let lock = {
            let mut map = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(lock) = map.get(&id).and_then(Weak::upgrade) {
                lock
            } else {
                if map.len() >= 1024 && map.len().is_power_of_two() {
                    map.retain(|_, weak| weak.strong_count() > 0);
                }
                let lock = Arc::new(tokio::sync::Mutex::new(()));
                map.insert(id, Arc::downgrade(&lock));
                lock
            }
        };
        lock.lock_owned().await
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.locks.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_are_served_in_arrival_order() {
        let locks = Arc::new(ConversationLocks::default());
        let id = ConversationId::new();
        let first = locks.acquire(id).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..5 {
            let (locks, order) = (locks.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _g = locks.acquire(id).await;
                order.lock().unwrap().push(i);
            }));
            // Let each waiter queue up before the next one arrives.
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        drop(first);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn other_conversations_do_not_wait_and_entries_are_swept() {
        let locks = ConversationLocks::default();
        let _held = locks.acquire(ConversationId::new()).await;
        // A different conversation is not blocked by the held one.
        for _ in 0..3000 {
            drop(locks.acquire(ConversationId::new()).await);
        }
        assert!(locks.len() < 3000, "dead entries were swept: {}", locks.len());
    }
}
