//! Password hashing off the async workers, a few at a time: an argon2id
//! hash takes tens of milliseconds of CPU and about 19 MiB of memory, so
//! a burst of sign-ins waits its turn instead of filling the memory.

use crate::error::AppError;
use tokio::sync::Semaphore;

/// Hashes computed at once in this process.
pub const AT_ONCE: usize = 4;

static PERMITS: Semaphore = Semaphore::const_new(AT_ONCE);

/// Runs `work` (a hash or a verification) on a blocking thread once one of
/// [`AT_ONCE`] places is free.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _permit = PERMITS.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)
}

/// Places free now (for tests and metrics).
pub fn available() -> usize {
    PERMITS.available_permits()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Twenty hashes asked at once run at most `AT_ONCE` at a time.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn hashes_run_a_few_at_a_time() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (running, most) = (running.clone(), most.clone());
            tasks.push(tokio::spawn(run(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // The work of a hash: a real one, so that tasks overlap.
                let _ = maillage_domain::password::Password::generate().hash();
                running.fetch_sub(1, Ordering::SeqCst);
            })));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=AT_ONCE).contains(&most), "{most} at once");
        assert_eq!(available(), AT_ONCE);
    }
}
