use serde_json::json;

use super::*;

const ONE: &[&str] = &["writer"];
const TWO: &[&str] = &["reader", "writer"];

fn rules(agents: &'static [&'static str]) -> AnswerRules<'static> {
    AnswerRules { agents, max_tasks: 5 }
}

fn ids(n: &Normalised) -> Vec<&str> {
    n.tasks.iter().map(|t| t.id.as_str()).collect()
}

fn deps(n: &Normalised, i: usize) -> Vec<&str> {
    n.tasks[i].depends_on.iter().map(String::as_str).collect()
}

#[test]
fn positions_become_dependencies_on_ids_made_from_titles() {
    let answer = json!({"tasks": [
        {"title": "Find sources", "agent": "reader", "after": [], "instructions": "find them"},
        {"title": "Read them!", "agent": "reader", "after": [1], "instructions": "read"},
        {"title": "Write it up", "agent": "writer", "after": [1, 2], "instructions": "write"}
    ]});
    let n = normalise(&answer, &rules(TWO)).expect("valid");
    assert_eq!(ids(&n), ["find-sources", "read-them", "write-it-up"]);
    assert_eq!(deps(&n, 2), ["find-sources", "read-them"]);
    assert!(n.notes.is_empty(), "nothing was changed: {:?}", n.notes);
}

#[test]
fn duplicate_empty_and_spaced_ids_are_made_unique_and_noted() {
    let answer = json!({"tasks": [
        {"id": "short-id", "title": "A", "instructions": "a", "agent": "writer", "depends_on": []},
        {"id": "short-id", "title": "B", "instructions": "b", "agent": "writer", "depends_on": ["short-id"]},
        {"id": "", "title": "", "instructions": "do the third thing", "agent": "writer"},
        {"id": "my [task] 4", "title": "D", "instructions": "d", "agent": "Writer"}
    ]});
    let n = normalise(&answer, &rules(ONE)).expect("valid");
    assert_eq!(ids(&n), ["short-id", "short-id-2", "do-the-third-thing", "my-task-4"]);
    // "short-id" names the first task of that id.
    assert_eq!(deps(&n, 1), ["short-id"]);
    assert_eq!(n.tasks[2].title, "do the third thing");
    assert_eq!(n.tasks[3].agent, "writer");
    let notes = n.notes.join("\n");
    for expected in [
        "\"short-id\" is \"short-id-2\"",
        "task 3 had no title",
        "\"my [task] 4\" is \"my-task-4\"",
        "named the agent \"Writer\"",
    ] {
        assert!(notes.contains(expected), "{expected} in {notes}");
    }
}

#[test]
fn dependencies_by_title_position_text_self_and_dangling_are_resolved_or_dropped() {
    let answer = json!({"tasks": [
        {"id": "a", "title": "Gather facts", "instructions": "x", "agent": "writer"},
        {"id": "b", "title": "Summarise", "instructions": "x", "agent": "writer",
         "depends_on": ["Gather Facts", "b", "other-id", "task-1"]},
        {"title": "Check", "instructions": "x", "agent": "writer", "after": [2, 2, 9, 0, -1, "gather facts!"]}
    ]});
    let n = normalise(&answer, &rules(ONE)).expect("valid");
    assert_eq!(deps(&n, 1), ["a"], "by title; self, dangling and the repeat dropped");
    assert_eq!(deps(&n, 2), ["b", "a"]);
    let notes = n.notes.join("\n");
    for expected in [
        "task 2 named its dependency \"Gather Facts\" by its title: it is task 1",
        "task 2 depended on itself: dropped",
        "task 2 depended on \"other-id\", which is no task of the plan: dropped",
        "task 2 named task 1 twice",
        "task 3 depended on 9, which is no task of the plan: dropped",
        "task 3 depended on 0, which is no task",
        "by another spelling of its title",
    ] {
        assert!(notes.contains(expected), "{expected} in\n{notes}");
    }
}

#[test]
fn a_cycle_keeps_only_dependencies_on_earlier_tasks() {
    let answer = json!([
        {"title": "One", "instructions": "x", "agent": "writer", "after": [2]},
        {"title": "Two", "instructions": "x", "agent": "writer", "after": [1]},
        {"title": "Three", "instructions": "x", "agent": "writer", "after": [2]}
    ]);
    let n = normalise(&answer, &rules(ONE)).expect("valid");
    assert!(deps(&n, 0).is_empty());
    assert_eq!(deps(&n, 1), ["one"]);
    assert_eq!(deps(&n, 2), ["two"]);
    assert!(n.notes.iter().any(|x| x.contains("later task 2, which made a cycle")), "{:?}", n.notes);
    // Without a cycle, a dependency on a later task stays.
    let forward = json!([
        {"title": "One", "instructions": "x", "agent": "writer", "after": [2]},
        {"title": "Two", "instructions": "x", "agent": "writer", "after": []}
    ]);
    assert_eq!(deps(&normalise(&forward, &rules(ONE)).expect("valid"), 0), ["two"]);
}

#[test]
fn what_cannot_be_fixed_is_said_as_instructions() {
    let unknown = json!({"tasks": [
        {"title": "A", "instructions": "x", "agent": "ghost"},
        {"title": "", "instructions": " ,{ ", "agent": "writer"},
        "just text"
    ]});
    let problems = normalise(&unknown, &rules(TWO)).expect_err("unfixable");
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("Task 1 names the agent \"ghost\", which does not exist: use one of reader, writer"));
    assert!(problems[1].contains("Task 2 has neither a title nor instructions"));
    assert!(problems[2].contains("Task 3 is not an object"));
    let too_many: Vec<_> =
        (0..6).map(|i| json!({"title": format!("t{i}"), "instructions": "x", "agent": "writer"})).collect();
    assert!(normalise(&json!({"tasks": too_many}), &rules(ONE)).expect_err("too many")[0].contains("at most 5 tasks"));
    assert!(normalise(&json!({"tasks": []}), &rules(ONE)).expect_err("empty")[0].contains("at least one task"));
    let noisy = json!([{"title": "A", "instructions": "x", "agent": "writer", "after": vec![1; 11]}]);
    assert!(normalise(&noisy, &rules(ONE)).expect_err("noise")[0].contains("Task 1 lists 11 dependencies"));
    let ten = json!([{"title": "A", "instructions": "x", "agent": "writer", "after": vec![1; 10]}]);
    assert!(normalise(&ten, &rules(ONE)).is_ok(), "up to twice the task limit is read");
    assert!(normalise(&json!({"answer": 1}), &rules(ONE)).expect_err("no list")[0].contains("no task list"));
}

#[test]
fn the_only_agent_takes_tasks_that_name_none_or_another() {
    let answer = json!({"plan": {"tasks": [{"title": "A", "instructions": "x"}, {"title": "B", "instructions": "x", "agent": "researcher"}]}});
    let n = normalise(&answer, &rules(ONE)).expect("valid");
    assert!(n.tasks.iter().all(|t| t.agent == "writer"));
    assert_eq!(n.notes.len(), 2, "{:?}", n.notes);
}

#[test]
fn slugs_are_bounded_ascii_and_control_characters_are_cleaned() {
    assert_eq!(slugify("  Hello, World!  "), "hello-world");
    assert_eq!(slugify("été 中文"), "t");
    assert_eq!(slugify("中文"), "");
    assert_eq!(slugify(&"a".repeat(100)).len(), MAX_SLUG);
    assert_eq!(slugify("Count the words of a short text and write a summary"), "count-the-words-of-a-short-text");
    assert_eq!(slugify("snake_case id"), "snake_case-id");
    let answer = json!([{"title": "\r\u{afba}gam,\n },{ ,", "instructions": "x\ty", "agent": "writer"}]);
    let n = normalise(&answer, &rules(ONE)).expect("valid");
    assert_eq!(n.tasks[0].title, "\u{afba}gam, },{ ,");
    assert_eq!(n.tasks[0].instructions, "x y");
    assert_eq!(n.tasks[0].id, "gam");
}
