//! The lifecycle statuses in the schema mapping: a status column reads into
//! and binds from [`RunStatus`], [`TaskStatus`] and [`AttemptStatus`], so no
//! query compares a status as a string. A stored name the domain does not
//! know is a read error, not a status. (An event row keeps its from and to
//! statuses as text: they are a run's or a task's, and the log shows them as
//! written. The partial task indexes need one status as SQL text:
//! `shared::task_is`.)

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::{AttemptStatus, RunStatus, TaskStatus};

/// The bound expression of a stored name (diesel's own, for a `&'static str`).
type Name = <&'static str as AsExpression<Text>>::Expression;

macro_rules! status_column {
    ($status:ty, $what:literal) => {
        impl AsExpression<Text> for $status {
            type Expression = Name;
            fn as_expression(self) -> Name {
                AsExpression::<Text>::as_expression(self.as_str())
            }
        }

        impl AsExpression<Text> for &$status {
            type Expression = Name;
            fn as_expression(self) -> Name {
                AsExpression::<Text>::as_expression(self.as_str())
            }
        }

        // For lists of statuses (`eq_any`, `ne_all`), bound value by value.
        impl<DB: Backend> ToSql<Text, DB> for $status
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB: Backend> Queryable<Text, DB> for $status
        where
            String: FromSql<Text, DB>,
        {
            type Row = String;
            fn build(name: String) -> deserialize::Result<Self> {
                <$status>::parse(&name).ok_or_else(|| format!("unknown {} status {name:?}", $what).into())
            }
        }
    };
}

status_column!(RunStatus, "run");
status_column!(TaskStatus, "task");
status_column!(AttemptStatus, "attempt");

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sqlite::SqliteConnection;

    use super::*;
    use crate::store::models::RunRow;
    use crate::store::schema::runs;
    use crate::store::{DatabaseUrl, Store};

    /// Every run status is written under its stored name and read back as
    /// itself, a filter binds it, and a name the domain does not know is an
    /// error of the read, never a status nor a panic.
    #[test]
    fn statuses_round_trip_and_an_unknown_name_is_a_read_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.db").display().to_string();
        Store::migrate(&DatabaseUrl::Sqlite(path.clone())).expect("migrate");
        let mut conn = SqliteConnection::establish(&path).expect("connect");
        diesel::sql_query("INSERT INTO workspaces (id, name, created_at) VALUES ('ws', 'ws', 0)")
            .execute(&mut conn)
            .expect("workspace");
        for (i, status) in RunStatus::ALL.iter().enumerate() {
            let row = RunRow { status: *status, ..RunRow::example(&format!("run_{i}"), "ws") };
            diesel::insert_into(runs::table).values(&row).execute(&mut conn).expect("insert");
            let stored: String =
                runs::table.find(&row.id).select(diesel::dsl::sql::<Text>("status")).first(&mut conn).expect("name");
            assert_eq!(stored, status.as_str());
            let read: RunStatus = runs::table.find(&row.id).select(runs::status).first(&mut conn).expect("read");
            assert_eq!(read, *status);
            let n: i64 = runs::table.filter(runs::status.eq(*status)).count().get_result(&mut conn).expect("count");
            assert_eq!(n, 1, "{status}");
        }
        let ended = [RunStatus::Completed, RunStatus::Failed, RunStatus::Cancelled];
        let n: i64 = runs::table.filter(runs::status.eq_any(ended)).count().get_result(&mut conn).expect("eq_any");
        let open: i64 = runs::table.filter(runs::status.ne_all(ended)).count().get_result(&mut conn).expect("ne_all");
        assert_eq!((n, open), (3, RunStatus::ALL.len() as i64 - 3));
        diesel::sql_query("UPDATE runs SET status = 'SLEEPING' WHERE id = 'run_0'").execute(&mut conn).expect("update");
        let read = runs::table.find("run_0").select(RunRow::as_select()).first(&mut conn);
        let err = read.expect_err("an unknown status does not read").to_string();
        assert!(err.contains("unknown run status \"SLEEPING\""), "{err}");
    }
}
