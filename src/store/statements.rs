//! Counting the statements the store sends to its database, so that the
//! bench can report statements per task as counted, not estimated.
//!
//! diesel reports every statement it starts (prepared ones and the batches
//! behind BEGIN, SAVEPOINT and COMMIT alike) to a connection's
//! instrumentation; each of the store's connections gets a [`Counting`] that
//! adds one to the store's total per statement. The count is an atomic add;
//! the statement's text is formatted only for `RUST_LOG=orchestrator::sql=trace`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use diesel::connection::{Instrumentation, InstrumentationEvent};

/// The number of statements a store has run since it opened (migrations excluded).
#[derive(Debug, Clone, Default)]
pub struct StatementCount(Arc<AtomicU64>);

impl StatementCount {
    /// Statements run so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Starts the count again from zero (once the store is open and migrated).
    pub(super) fn reset(&self) {
        self.0.store(0, Ordering::Relaxed);
    }

    /// An instrumentation for one connection, adding to this count.
    pub(super) fn counting(&self) -> Counting {
        Counting(self.0.clone())
    }
}

/// A connection's instrumentation: one per statement started.
pub(super) struct Counting(Arc<AtomicU64>);

impl Instrumentation for Counting {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::CacheQuery { sql, .. } = &event {
            // RUST_LOG=orchestrator::sql_cached=trace: the statements prepared
            // once and kept. A hot statement missing here (beside the same
            // statement under orchestrator::sql) is prepared at every run.
            tracing::trace!(target: "orchestrator::sql_cached", "{sql}");
        }
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.0.fetch_add(1, Ordering::Relaxed);
            // Formatted only when asked for: RUST_LOG=orchestrator::sql=trace.
            tracing::trace!(target: "orchestrator::sql", "{query}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sqlite::SqliteConnection;

    #[test]
    fn every_statement_is_counted_once_batches_and_transactions_included() {
        let count = StatementCount::default();
        let mut c = SqliteConnection::establish(":memory:").expect("in-memory SQLite");
        c.set_instrumentation(count.counting());
        c.batch_execute("CREATE TABLE t (x INTEGER)").expect("create");
        assert_eq!(count.get(), 1);
        c.transaction::<_, diesel::result::Error, _>(|c| {
            diesel::sql_query("INSERT INTO t VALUES (1)").execute(c)?;
            diesel::sql_query("INSERT INTO t VALUES (2)").execute(c)?;
            Ok(())
        })
        .expect("insert");
        // BEGIN, two INSERTs, COMMIT.
        assert_eq!(count.get(), 5);
        count.reset();
        assert_eq!(count.get(), 0);
    }
}
