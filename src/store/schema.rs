//! Table definitions, mirroring `migrations/` (both dialects share them).

diesel::table! {
    workspaces (id) {
        id -> Text,
        name -> Text,
        retention_secs -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        workspace_id -> Text,
        name -> Text,
        role -> Text,
        key_hash -> Text,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
        last_used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    runs (id) {
        id -> Text,
        workspace_id -> Text,
        request_id -> Nullable<Text>,
        goal -> Text,
        spec_json -> Text,
        status -> Text,
        priority -> Integer,
        max_parallel -> Integer,
        running -> Integer,
        open_tasks -> Integer,
        trace_id -> Text,
        root_span_id -> Text,
        parent_span_id -> Nullable<Text>,
        output_json -> Nullable<Text>,
        failure_reason -> Nullable<Text>,
        verdict_json -> Nullable<Text>,
        prompt_tokens -> BigInt,
        completion_tokens -> BigInt,
        tool_calls -> BigInt,
        cost_micros -> BigInt,
        last_seq -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
        started_at -> Nullable<BigInt>,
        finished_at -> Nullable<BigInt>,
        deadline_at -> Nullable<BigInt>,
        degraded -> Bool,
        tracestate -> Nullable<Text>,
        trace_exported -> Bool,
        stopped_at -> Nullable<BigInt>,
        stopped_micros -> BigInt,
    }
}

diesel::table! {
    run_replans (run_id) {
        run_id -> Text,
        workspace_id -> Text,
        replans -> Integer,
        awaiting_task -> Nullable<Text>,
        last_revision -> Nullable<Text>,
        revised_tasks -> Nullable<Text>,
        replaced_tasks -> Nullable<Text>,
    }
}

diesel::table! {
    child_runs (child_run_id) {
        child_run_id -> Text,
        workspace_id -> Text,
        parent_run_id -> Text,
        parent_task_id -> Text,
        attempt -> Integer,
        depth -> Integer,
        budget_json -> Text,
        settled -> Bool,
        parent_pause -> Integer,
        created_at -> BigInt,
    }
}

diesel::table! {
    recipes (workspace_id, name, version) {
        workspace_id -> Text,
        name -> Text,
        version -> Integer,
        spec_json -> Text,
        created_at -> BigInt,
        created_by -> Text,
        deleted_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    run_plans (run_id) {
        run_id -> Text,
        workspace_id -> Text,
        plan_json -> Text,
    }
}

diesel::table! {
    run_labels (run_id, key) {
        run_id -> Text,
        workspace_id -> Text,
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    idempotency_keys (workspace_id, request_id) {
        workspace_id -> Text,
        request_id -> Text,
        body_hash -> Text,
        run_id -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    tasks (run_id, task_id) {
        run_id -> Text,
        task_id -> Text,
        workspace_id -> Text,
        position -> Integer,
        spec_json -> Text,
        agent -> Text,
        kind -> Text,
        optional -> Bool,
        status -> Text,
        run_priority -> Integer,
        priority -> Integer,
        remaining_deps -> Integer,
        attempts -> Integer,
        attempt_limit -> Integer,
        lease_id -> Nullable<Text>,
        lease_expires_at -> Nullable<BigInt>,
        ready_at -> Nullable<BigInt>,
        retry_at -> Nullable<BigInt>,
        inputs_json -> Nullable<Text>,
        output_json -> Nullable<Text>,
        error -> Nullable<Text>,
        verdict_json -> Nullable<Text>,
        feedback_json -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        dependents -> Integer,
        next_turn -> Integer,
        spawned_by -> Nullable<Text>,
        spawn_depth -> Integer,
    }
}

diesel::table! {
    task_deps (run_id, task_id, depends_on) {
        run_id -> Text,
        task_id -> Text,
        depends_on -> Text,
        workspace_id -> Text,
    }
}

diesel::table! {
    attempts (run_id, task_id, number) {
        run_id -> Text,
        task_id -> Text,
        number -> Integer,
        workspace_id -> Text,
        lease_id -> Text,
        agent_instance -> Text,
        status -> Text,
        span_id -> Text,
        started_at -> BigInt,
        finished_at -> Nullable<BigInt>,
        lease_expires_at -> BigInt,
        deadline_at -> BigInt,
        prompt_tokens -> BigInt,
        completion_tokens -> BigInt,
        tool_calls -> BigInt,
        cost_micros -> BigInt,
        output_json -> Nullable<Text>,
        error -> Nullable<Text>,
        verdict_json -> Nullable<Text>,
        feedback_json -> Nullable<Text>,
        turn -> Integer,
        checkpoint_json -> Nullable<Text>,
        banked_usage_json -> Nullable<Text>,
        turn_started_at -> Nullable<BigInt>,
        outcome_recorded -> Bool,
        model -> Text,
    }
}

diesel::table! {
    advice (workspace_id, id) {
        workspace_id -> Text,
        id -> Text,
        created_at -> BigInt,
        tokens -> Double,
        cost_micros -> Double,
        duration_ms -> Double,
        pass_chance -> Nullable<Double>,
        suggested_recipe -> Text,
        warnings -> Text,
        run_id -> Nullable<Text>,
        followed_recipe -> Nullable<Bool>,
    }
}

diesel::table! {
    outcomes (run_id, task_id, attempt) {
        workspace_id -> Text,
        run_id -> Text,
        task_id -> Text,
        attempt -> Integer,
        finished_at -> BigInt,
        agent -> Text,
        executor -> Text,
        model -> Text,
        recipe -> Text,
        recipe_version -> Integer,
        task_kind -> Text,
        status -> Text,
        passed -> Bool,
        score -> Nullable<Double>,
        turns -> Integer,
        tokens -> BigInt,
        cost_micros -> BigInt,
        latency_ms -> BigInt,
    }
}

diesel::table! {
    events (run_id, seq) {
        run_id -> Text,
        seq -> BigInt,
        workspace_id -> Text,
        kind -> Text,
        task_id -> Nullable<Text>,
        attempt -> Nullable<Integer>,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        message -> Text,
        data_json -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    spans (trace_id, span_id) {
        trace_id -> Text,
        span_id -> Text,
        run_id -> Text,
        workspace_id -> Text,
        parent_span_id -> Nullable<Text>,
        name -> Text,
        start_time -> BigInt,
        end_time -> Nullable<BigInt>,
        status_code -> Text,
        status_message -> Text,
        attributes_json -> Text,
        events_json -> Text,
    }
}

diesel::table! {
    agents_seen (workspace_id, agent) {
        workspace_id -> Text,
        agent -> Text,
        last_poll_at -> BigInt,
    }
}

diesel::table! {
    agent_instances (workspace_id, agent, instance) {
        workspace_id -> Text,
        agent -> Text,
        instance -> Text,
        sdk -> Text,
        peer -> Text,
        replica -> Text,
        last_poll_at -> BigInt,
    }
}

diesel::table! {
    retry_outcomes (workspace_id, agent, model) {
        workspace_id -> Text,
        agent -> Text,
        model -> Text,
        verified_tasks -> BigInt,
        passed_first_try -> BigInt,
        retried_tasks -> BigInt,
        rescued_tasks -> BigInt,
        retry_tokens -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    schedules (workspace_id, id) {
        workspace_id -> Text,
        id -> Text,
        spec_json -> Text,
        paused -> Bool,
        note -> Text,
        next_fire_at -> Nullable<BigInt>,
        next_due_at -> Nullable<BigInt>,
        missed_fires -> BigInt,
        created_at -> BigInt,
        created_by -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    schedule_fires (workspace_id, schedule_id, fire_key) {
        workspace_id -> Text,
        schedule_id -> Text,
        fire_key -> Text,
        kind -> Text,
        nominal_at -> BigInt,
        outcome -> Text,
        run_id -> Nullable<Text>,
        detail -> Text,
        live -> Bool,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::joinable!(tasks -> runs (run_id));
diesel::allow_tables_to_appear_in_same_query!(
    workspaces,
    advice,
    outcomes,
    api_keys,
    runs,
    run_plans,
    run_replans,
    child_runs,
    recipes,
    schedules,
    schedule_fires,
    run_labels,
    idempotency_keys,
    tasks,
    task_deps,
    attempts,
    events,
    spans,
    agents_seen,
    agent_instances,
    retry_outcomes,
);
