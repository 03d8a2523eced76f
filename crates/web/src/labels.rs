//! Message keys for the stable codes the services return (class status, enrolment state,
//! attendance status...), so templates can show them in the user's language. An unknown code
//! gets a generic key rather than a raw code.

/// `planned` -> `class-status-planned`.
pub fn class_status_key(code: &str) -> &'static str {
    match code {
        "planned" => "class-status-planned",
        "running" => "class-status-running",
        "finished" => "class-status-finished",
        "cancelled" => "class-status-cancelled",
        _ => "status-unknown",
    }
}

/// `enrolled` -> `enrolment-state-enrolled`.
pub fn enrolment_state_key(code: &str) -> &'static str {
    match code {
        "enrolled" => "enrolment-state-enrolled",
        "completed" => "enrolment-state-completed",
        "not_completed" => "enrolment-state-not-completed",
        "withdrawn" => "enrolment-state-withdrawn",
        "transferred" => "enrolment-state-transferred",
        "released" => "enrolment-state-released",
        "dismissed" => "enrolment-state-dismissed",
        "medical" => "enrolment-state-medical",
        _ => "status-unknown",
    }
}

/// `scheduled` -> `session-status-scheduled`.
pub fn session_status_key(code: &str) -> &'static str {
    match code {
        "scheduled" => "session-status-scheduled",
        "held" => "session-status-held",
        "cancelled" => "session-status-cancelled",
        "moved" => "session-status-moved",
        _ => "status-unknown",
    }
}

/// `present` -> `attendance-present`.
pub fn attendance_key(code: &str) -> &'static str {
    match code {
        "present" => "attendance-present",
        "late" => "attendance-late",
        "excused" => "attendance-excused",
        "absent" => "attendance-absent",
        _ => "status-unknown",
    }
}

/// `sick` -> `excuse-sick`.
pub fn excuse_key(code: &str) -> &'static str {
    match code {
        "sick" => "excuse-sick",
        "court" => "excuse-court",
        "visit" => "excuse-visit",
        "isolation" => "excuse-isolation",
        "other" => "excuse-other",
        _ => "status-unknown",
    }
}

/// An optional number, or nothing.
pub fn number(value: &Option<i32>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

/// `advanced_1` -> `stage-advanced-1` (pembinaan stage).
pub fn pembinaan_stage_key(code: &str) -> &'static str {
    match code {
        "initial" => "stage-initial",
        "advanced_1" => "stage-advanced-1",
        "advanced_2" => "stage-advanced-2",
        "final" => "stage-final",
        "released" => "stage-released",
        _ => "status-unknown",
    }
}

/// `in_custody` -> `custody-in-custody`.
pub fn custody_key(code: &str) -> &'static str {
    match code {
        "in_custody" => "custody-in-custody",
        "released" => "custody-released",
        "transferred" => "custody-transferred",
        "deceased" => "custody-deceased",
        _ => "status-unknown",
    }
}

/// `selected` -> `selection-status-selected`.
pub fn selection_status_key(code: &str) -> &'static str {
    match code {
        "selected" => "selection-status-selected",
        "waiting" => "selection-status-waiting",
        "not_selected" => "selection-status-not-selected",
        "ineligible" => "selection-status-ineligible",
        _ => "status-unknown",
    }
}

/// `draft` -> `plan-status-draft`.
pub fn plan_status_key(code: &str) -> &'static str {
    match code {
        "draft" => "plan-status-draft",
        "approved" => "plan-status-approved",
        "superseded" => "plan-status-superseded",
        _ => "status-unknown",
    }
}

/// `valid` -> `certificate-status-valid` (as exported: valid, revoked or expired).
pub fn certificate_status_key(code: &str) -> &'static str {
    match code {
        "valid" => "certificate-status-valid",
        "revoked" => "certificate-status-revoked",
        "expired" => "certificate-status-expired",
        _ => "status-unknown",
    }
}

/// `self_employed` -> `outcome-self-employed` (follow-up after release).
pub fn follow_up_outcome_key(code: &str) -> &'static str {
    match code {
        "employed" => "outcome-employed",
        "self_employed" => "outcome-self-employed",
        "further_training" => "outcome-further-training",
        "unemployed" => "outcome-unemployed",
        "reoffended" => "outcome-reoffended",
        "unreachable" => "outcome-unreachable",
        _ => "status-unknown",
    }
}

/// `small_business` -> `employer-small-business`.
pub fn employer_key(code: &str) -> &'static str {
    match code {
        "company" => "employer-company",
        "small_business" => "employer-small-business",
        "government" => "employer-government",
        "family" => "employer-family",
        "other" => "employer-other",
        _ => "status-unknown",
    }
}

/// `pending` -> `waiting-status-pending` (a waiting-list entry).
pub fn waiting_status_key(code: &str) -> &'static str {
    match code {
        "pending" => "waiting-status-pending",
        "approved" => "waiting-status-approved",
        "allocated" => "waiting-status-allocated",
        "declined" => "waiting-status-declined",
        "removed" => "waiting-status-removed",
        "withdrawn" => "waiting-status-withdrawn",
        _ => "status-unknown",
    }
}

/// `present` -> `register-mark-present` (the one-letter mark on the printed register).
pub fn register_mark_key(code: &str) -> &'static str {
    match code {
        "present" => "register-mark-present",
        "late" => "register-mark-late",
        "excused" => "register-mark-excused",
        "absent" => "register-mark-absent",
        _ => "register-mark-unknown",
    }
}
