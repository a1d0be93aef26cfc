//! One table per criterion kind: outputs that pass, outputs that fail, and
//! malformed parameters refused by `check`.

use serde_json::{json, Value};

use super::*;

fn criterion(kind: &str, params: Value) -> Criterion {
    Criterion {
        id: format!("{kind}#0"),
        kind: kind.into(),
        params: params.as_object().cloned().unwrap_or_default(),
        advisory: false,
    }
}

/// (kind, params, passing outputs, failing outputs, malformed params with the offending field)
type Case = (&'static str, Value, Vec<Value>, Vec<Value>, Vec<(Value, &'static str)>);

fn cases() -> Vec<Case> {
    vec![
        (
            "not_empty",
            json!({}),
            vec![json!("x"), json!({"a": 1}), json!([0]), json!(0)],
            vec![json!(""), json!("   "), json!(null), json!([]), json!({})],
            vec![(json!({"extra": 1}), "params.extra")],
        ),
        (
            "contains",
            json!({"value": "rose"}),
            vec![json!("a rose"), json!({"flower": "rose"})],
            vec![json!("a tulip"), json!("ROSE")],
            vec![(json!({}), "params.value"), (json!({"value": 3}), "params.value")],
        ),
        (
            "contains",
            json!({"value": "rose", "case_sensitive": false}),
            vec![json!("ROSE")],
            vec![json!("tulip")],
            vec![(json!({"value": "x", "case_sensitive": "no"}), "params.case_sensitive")],
        ),
        (
            "not_contains",
            json!({"value": "TODO"}),
            vec![json!("done")],
            vec![json!("TODO: finish")],
            vec![(json!({}), "params.value")],
        ),
        (
            "regex",
            json!({"pattern": "^v\\d+\\.\\d+$"}),
            vec![json!("v1.2")],
            vec![json!("version 1.2"), json!("v1.2 ")],
            vec![
                (json!({"pattern": "("}), "params.pattern"),
                (json!({"pattern": "a".repeat(1001)}), "params.pattern"),
                (json!({"pattern": "\\w{1000}{1000}"}), "params.pattern"),
            ],
        ),
        ("regex", json!({"pattern": "\\d+", "full_match": true}), vec![json!("123")], vec![json!("a123")], vec![]),
        (
            "json_valid",
            json!({}),
            vec![json!("{\"a\": 1}"), json!({"a": 1}), json!("[1]")],
            vec![json!("{a: 1}"), json!("plain text")],
            vec![],
        ),
        (
            "json_schema",
            json!({"schema": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer", "minimum": 1}}}}),
            vec![json!({"n": 2}), json!("{\"n\": 5}")],
            vec![json!({"n": 0}), json!({}), json!("not json"), json!([1])],
            vec![
                (json!({"schema": {"type": "no-such-type"}}), "params.schema"),
                (json!({}), "params.schema"),
                (json!({"schema": "x"}), "params.schema"),
            ],
        ),
        (
            "json_path_equals",
            json!({"path": "$.result.status", "value": "ok"}),
            vec![json!({"result": {"status": "ok"}}), json!("{\"result\":{\"status\":\"ok\"}}")],
            vec![json!({"result": {"status": "bad"}}), json!({"result": {}}), json!("nope")],
            vec![(json!({"path": "$[", "value": 1}), "params.path"), (json!({"path": "$.a"}), "params.value")],
        ),
        (
            "json_path_equals",
            json!({"path": "$.legs", "value": 8}),
            vec![json!("{\"legs\": 8.0}"), json!({"legs": 8.0}), json!("JSON: {\"legs\": 8}")],
            vec![json!({"legs": 8.5}), json!("{\"legs\": \"8\"}")],
            vec![],
        ),
        (
            "json_path_equals",
            json!({"path": "$.items[*]", "value": 1}),
            vec![json!({"items": [1]})],
            vec![json!({"items": [1, 1]})],
            vec![],
        ),
        (
            "min_length",
            json!({"value": 3}),
            vec![json!("abc"), json!("ünï")],
            vec![json!("ab")],
            vec![(json!({"value": -1}), "params.value"), (json!({"value": "3"}), "params.value")],
        ),
        (
            "max_length",
            json!({"value": 3}),
            vec![json!("abc"), json!("")],
            vec![json!("abcd")],
            vec![(json!({}), "params.value")],
        ),
        (
            "one_of",
            json!({"values": ["yes", "no", 1]}),
            vec![json!("yes"), json!(" no "), json!(1), json!(1.0)],
            vec![json!("maybe"), json!(2), json!(1.5)],
            vec![(json!({"values": "yes"}), "params.values")],
        ),
    ]
}

#[test]
fn every_rule_kind_passes_fails_and_refuses_malformed_parameters() {
    for (kind, params, passing, failing, malformed) in cases() {
        let c = criterion(kind, params.clone());
        assert!(check("criteria", std::slice::from_ref(&c), false).is_empty(), "{kind} {params} should be well-formed");
        for out in passing {
            let r = evaluate_rule(&out, &c);
            assert!(r.passed, "{kind} {params} should pass {out}: {}", r.reason);
            assert_eq!(r.score, 1.0);
        }
        for out in failing {
            let r = evaluate_rule(&out, &c);
            assert!(!r.passed, "{kind} {params} should fail {out}");
            assert!(!r.reason.is_empty());
        }
        for (bad, field) in malformed {
            let v = check("criteria", &[criterion(kind, bad.clone())], false);
            assert!(
                v.iter().any(|x| x.field == format!("criteria[0].{field}")),
                "{kind} {bad}: expected a violation of {field}, got {v:?}"
            );
        }
    }
}

#[test]
fn judge_criteria_need_a_model_and_a_sane_threshold() {
    let ok = criterion("llm_judge", json!({"rubric": "concise", "threshold": 0.5}));
    assert!(check("c", std::slice::from_ref(&ok), true).is_empty());
    assert_eq!(check("c", std::slice::from_ref(&ok), false)[0].field, "c[0].kind");
    let v = check("c", &[criterion("llm_judge", json!({"rubric": "x", "threshold": 1.5}))], true);
    assert_eq!(v[0].field, "c[0].params.threshold");
    let v = check("c", &[criterion("llm_judge", json!({}))], true);
    assert_eq!(v[0].field, "c[0].params.rubric");
    let v = check("c", &[criterion("telepathy", json!({}))], true);
    assert_eq!(v[0].field, "c[0].kind");
}

#[tokio::test]
async fn degraded_runs_skip_judges_and_still_apply_rules() {
    let criteria = [criterion("llm_judge", json!({"rubric": "r"})), criterion("contains", json!({"value": "x"}))];
    let (v, usage) = verify(&json!("no"), &criteria, None, true).await;
    assert!(v.results[0].skipped && v.results[0].passed);
    assert!(!v.results[1].passed);
    assert!(!v.passed, "the rule still fails the verdict");
    assert!(usage.is_zero());
    let advisory = Criterion { advisory: true, ..criterion("contains", json!({"value": "x"})) };
    let (v, _) = verify(&json!("no"), &[advisory], None, false).await;
    assert!(v.passed, "an advisory failure does not fail the verdict");
}

#[test]
fn json_paths_are_bounded_before_they_are_parsed() {
    let nested = |n: usize| format!("${}{}", "[?@".repeat(n), "]".repeat(n));
    assert!(parse_json_path(&nested(MAX_JSON_PATH_DEPTH)).is_ok(), "at the bound it parses");
    let e = parse_json_path(&nested(MAX_JSON_PATH_DEPTH + 1)).expect_err("past the bound");
    assert!(e.contains("nest 9 deep"), "{e}");
    let parens = format!("$[?{}@{}]", "(".repeat(1000), ")".repeat(1000));
    assert!(parse_json_path(&parens).expect_err("long").contains("longer than 512 bytes"));
    let parens = format!("$[?{}@{}]", "(".repeat(100), ")".repeat(100));
    assert!(parse_json_path(&parens).expect_err("deep").contains("more than the 8 allowed"));
    // Brackets inside quoted names are text, not nesting.
    assert!(parse_json_path("$['[[[[[[[[[[']").is_ok());
    assert!(parse_json_path("$['unclosed").expect_err("open quote").contains("not closed"));
}

#[test]
fn schema_patterns_use_the_linear_time_engine() {
    let schema = |p: &str| json!({"schema": {"type": "object", "properties": {"s": {"type": "string", "pattern": p}}}});
    let c = criterion("json_schema", schema("^(a+)+$"));
    assert!(check("c", std::slice::from_ref(&c), false).is_empty());
    // Catastrophic for a backtracking engine; linear here.
    let hostile = format!("{}b", "a".repeat(100_000));
    let r = evaluate_rule(&json!({ "s": hostile }), &c);
    assert!(!r.passed && r.reason.contains("does not match"), "{r:?}");
    let r = evaluate_rule(&json!({"s": "aaaa"}), &c);
    assert!(r.passed, "{r:?}");
    let lookahead = criterion("json_schema", schema("^(?=a)a$"));
    let v = check("c", std::slice::from_ref(&lookahead), false);
    assert_eq!(v.first().map(|v| v.field.as_str()), Some("c[0].params.schema"), "{v:?}");
}
