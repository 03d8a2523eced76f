//! One row in every table, inserted in foreign-key order through an audited write, then read
//! back and updated: the create/read/update path of the whole data model.

use bekal_store::entity::*;
use bekal_store::sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityName, EntityTrait};
use bekal_store::{AuditActor, AuditScope, Changes, Store};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
}

pub fn facility(code: &str) -> facility::ActiveModel {
    facility::ActiveModel {
        code: Set(code.to_owned()),
        name: Set(format!("Lapas {code}")),
        kind: Set("lapas".into()),
        region: Set(Some("Jawa Tengah".into())),
        utc_offset_minutes: Set(420),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
}

pub fn inmate(facility_id: i64, register: &str) -> inmate::ActiveModel {
    inmate::ActiveModel {
        facility_id: Set(facility_id),
        register_number: Set(register.to_owned()),
        name: Set("Budi Santoso".into()),
        remission_days: Set(0),
        health_cleared: Set(true),
        disciplinary_flag: Set(false),
        custody_status: Set("in_custody".into()),
        expected_release: Set(Some(day(30))),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
}

/// Reads a row back by id, applies one change, writes it, and reads it again.
macro_rules! read_update {
    ($db:expr, $covered:expr, $module:ident, $id:expr, $column:ident, $value:expr) => {{
        let row = $module::Entity::find_by_id($id)
            .one($db)
            .await
            .unwrap()
            .expect(concat!(stringify!($module), ": row readable after insert"));
        let mut active: $module::ActiveModel = row.into();
        active.$column = Set($value);
        let updated = active.update($db).await.unwrap();
        assert_eq!(
            updated.$column, $value,
            concat!(stringify!($module), ": update returned")
        );
        let again = $module::Entity::find_by_id($id)
            .one($db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            again, updated,
            concat!(stringify!($module), ": update persisted")
        );
        $covered.push($module::Entity.table_name());
    }};
}

/// Creates, reads and updates one row of every table; returns the tables covered.
pub async fn create_read_update_all(store: &Store) -> Vec<&'static str> {
    let actor = AuditActor::system("conformance");
    let mut tx = store
        .begin_write(AuditScope::Facility(1), actor.clone(), now())
        .await
        .unwrap();
    let c = tx.conn();
    let f = facility("PKL").insert(c).await.unwrap();
    let p = partner::ActiveModel {
        code: Set("BLK-PKL".into()),
        name: Set("UPTD BLK Kota Pekalongan".into()),
        kind: Set("training_centre".into()),
        certificate_number_format: Set("{partner}/{year}/{seq:05}".into()),
        certificate_sequence: Set(0),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ps = partnership::ActiveModel {
        facility_id: Set(f.id),
        partner_id: Set(p.id),
        valid_from: Set(day(1)),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let u = user::ActiveModel {
        username: Set("petugas".into()),
        display_name: Set("Petugas".into()),
        password_hash: Set("$argon2id$x".into()),
        role: Set("program_officer".into()),
        facility_id: Set(Some(f.id)),
        totp_required: Set(false),
        failed_logins: Set(0),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let us = user_session::ActiveModel {
        id_hash: Set("sessionhash".into()),
        user_id: Set(u.id),
        csrf_token: Set("csrf".into()),
        second_factor_done: Set(false),
        created_at: Set(now()),
        last_seen_at: Set(now()),
        expires_at: Set(now()),
        user_agent: Set(None),
    }
    .insert(c)
    .await
    .unwrap();
    let at = api_token::ActiveModel {
        user_id: Set(u.id),
        name: Set("sdp-sync".into()),
        token_hash: Set("tokenhash".into()),
        scopes: Set(json!(["inmates:write"])),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let la = login_attempt::ActiveModel {
        username: Set("petugas".into()),
        address: Set("127.0.0.1".into()),
        succeeded: Set(false),
        at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let st = setting::ActiveModel {
        key: Set("follow_up_months".into()),
        value: Set("3,6,12".into()),
        updated_at: Set(now()),
    }
    .insert(c)
    .await
    .unwrap();
    let pk = package::ActiveModel {
        code: Set("LAS".into()),
        name: Set("Teknik Las".into()),
        hours_jp: Set(160),
        duration_days: Set(18),
        capacity: Set(10),
        min_size: Set(6),
        trainer_skill: Set("LAS".into()),
        min_score: Set(60),
        min_attendance_percent: Set(80),
        required_flags: Set(json!(["medical_ok"])),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let cu = competency_unit::ActiveModel {
        code: Set("OTO.SM01.001.01".into()),
        title: Set("K3L".into()),
        hours_jp: Set(16),
        standard: Set("SKKNI".into()),
        version: Set("01".into()),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let pu = package_unit::ActiveModel {
        package_id: Set(pk.id),
        unit_id: Set(cu.id),
        position: Set(0),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let er = eligibility_rule::ActiveModel {
        package_id: Set(pk.id),
        facility_id: Set(Some(f.id)),
        kind: Set("min_score".into()),
        parameters: Set(json!({"min": 60})),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let t = trainer::ActiveModel {
        partner_id: Set(p.id),
        name: Set("Slamet Riyadi".into()),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ts = trainer_skill::ActiveModel {
        trainer_id: Set(t.id),
        skill: Set("LAS".into()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let tu = trainer_unavailability::ActiveModel {
        trainer_id: Set(t.id),
        date_from: Set(day(3)),
        date_to: Set(day(4)),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let r = room::ActiveModel {
        facility_id: Set(f.id),
        code: Set("BENGKEL".into()),
        name: Set("Bengkel".into()),
        capacity: Set(12),
        package_codes: Set(None),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let h = holiday::ActiveModel {
        facility_id: Set(None),
        date: Set(day(1)),
        name: Set("Hari Lahir Pancasila".into()),
        kind: Set("national".into()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let i = inmate(f.id, "B.I-001/2021").insert(c).await.unwrap();
    let i2 = inmate(f.id, "B.I-002/2021").insert(c).await.unwrap();
    let ce = custody_event::ActiveModel {
        facility_id: Set(f.id),
        inmate_id: Set(i.id),
        kind: Set("transferred".into()),
        effective_on: Set(day(5)),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let cm = column_mapping::ActiveModel {
        facility_id: Set(f.id),
        name: Set("SDP 2021".into()),
        mapping: Set(json!({"No Reg": "register_number"})),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ir = import_run::ActiveModel {
        facility_id: Set(f.id),
        kind: Set("inmates".into()),
        file_name: Set("wbp.csv".into()),
        file_sha256: Set("abc".into()),
        status: Set("finished".into()),
        rows_total: Set(2),
        inserted: Set(1),
        updated: Set(0),
        unchanged: Set(0),
        rejected: Set(1),
        started_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ie = import_error::ActiveModel {
        facility_id: Set(f.id),
        import_run_id: Set(ir.id),
        row_number: Set(3),
        column_name: Set(Some("Tgl Lahir".into())),
        value: Set(Some("31/02/1990".into())),
        reason: Set("date_invalid".into()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let a = assessment::ActiveModel {
        facility_id: Set(f.id),
        inmate_id: Set(i.id),
        package_id: Set(pk.id),
        skill_score: Set(Some(70)),
        health_cleared: Set(true),
        security_cleared: Set(true),
        literate: Set(true),
        assessed_on: Set(day(2)),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let na = non_association::ActiveModel {
        facility_id: Set(f.id),
        inmate_a_id: Set(i.id),
        inmate_b_id: Set(i2.id),
        reason: Set("keamanan".into()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let s = selection::ActiveModel {
        facility_id: Set(f.id),
        name: Set("Seleksi 2026".into()),
        status: Set("draft".into()),
        scoring: Set(json!({})),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let se = selection_entry::ActiveModel {
        facility_id: Set(f.id),
        selection_id: Set(s.id),
        inmate_id: Set(i.id),
        package_id: Set(Some(pk.id)),
        decision: Set("selected".into()),
        reasons: Set(json!([])),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let we = waiting_list_entry::ActiveModel {
        facility_id: Set(f.id),
        package_id: Set(pk.id),
        inmate_id: Set(i2.id),
        status: Set("pending".into()),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let wv = waiting_list_event::ActiveModel {
        facility_id: Set(f.id),
        entry_id: Set(we.id),
        to_status: Set("pending".into()),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let pl = plan::ActiveModel {
        facility_id: Set(f.id),
        selection_id: Set(Some(s.id)),
        name: Set("Rencana 2026".into()),
        status: Set("draft".into()),
        horizon_start: Set(day(1)),
        stage_days: Set(18),
        num_stages: Set(3),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let cl = training_class::ActiveModel {
        facility_id: Set(f.id),
        plan_id: Set(pl.id),
        package_id: Set(pk.id),
        partner_id: Set(p.id),
        room_id: Set(Some(r.id)),
        code: Set("LAS-1".into()),
        stage: Set(0),
        start_date: Set(day(1)),
        end_date: Set(day(22)),
        status: Set("planned".into()),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ct = class_trainer::ActiveModel {
        facility_id: Set(f.id),
        class_id: Set(cl.id),
        trainer_id: Set(t.id),
        role: Set("lead".into()),
        date_from: Set(day(1)),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let en = enrolment::ActiveModel {
        facility_id: Set(f.id),
        class_id: Set(cl.id),
        inmate_id: Set(i.id),
        state: Set("enrolled".into()),
        enrolled_on: Set(day(1)),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ee = enrolment_event::ActiveModel {
        facility_id: Set(f.id),
        enrolment_id: Set(en.id),
        to_state: Set("enrolled".into()),
        effective_on: Set(day(1)),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let sess = training_session::ActiveModel {
        facility_id: Set(f.id),
        class_id: Set(cl.id),
        date: Set(day(1)),
        hours_jp: Set(8),
        status: Set("scheduled".into()),
        sheet_version: Set(0),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let att = attendance::ActiveModel {
        facility_id: Set(f.id),
        session_id: Set(sess.id),
        enrolment_id: Set(en.id),
        status: Set("present".into()),
        hours_attended: Set(8),
        recorded_at: Set(now()),
        revision: Set(1),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ar = attendance_revision::ActiveModel {
        facility_id: Set(f.id),
        attendance_id: Set(att.id),
        revision: Set(1),
        status: Set("absent".into()),
        hours_attended: Set(0),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ik = idempotency_key::ActiveModel {
        key: Set("k-1".into()),
        facility_id: Set(f.id),
        user_id: Set(Some(u.id)),
        request_sha256: Set("h".into()),
        status_code: Set(200),
        response: Set("{}".into()),
        created_at: Set(now()),
    }
    .insert(c)
    .await
    .unwrap();
    let ur = unit_result::ActiveModel {
        facility_id: Set(f.id),
        enrolment_id: Set(en.id),
        unit_id: Set(cu.id),
        decision: Set("K".into()),
        attempt: Set(1),
        current: Set(true),
        assessed_on: Set(day(20)),
        recorded_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let key = issuer_key::ActiveModel {
        partner_id: Set(p.id),
        did: Set("did:key:z6Mk".into()),
        verification_method: Set("did:key:z6Mk#z6Mk".into()),
        public_key_multibase: Set("z6Mk".into()),
        secret_ref: Set("keys/blk.json".into()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let sl = status_list::ActiveModel {
        partner_id: Set(p.id),
        purpose: Set("revocation".into()),
        size_bits: Set(131_072),
        next_index: Set(1),
        encoded_list: Set("u".into()),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let ib = issuance_batch::ActiveModel {
        facility_id: Set(f.id),
        class_id: Set(cl.id),
        partner_id: Set(p.id),
        status: Set("draft".into()),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let cert = certificate::ActiveModel {
        facility_id: Set(f.id),
        partner_id: Set(p.id),
        enrolment_id: Set(en.id),
        batch_id: Set(Some(ib.id)),
        issuer_key_id: Set(key.id),
        status_list_id: Set(sl.id),
        status_index: Set(0),
        number: Set("BLK-PKL/2026/00001".into()),
        holder_name: Set("Budi Santoso".into()),
        credential: Set("{}".into()),
        issued_on: Set(day(25)),
        status: Set("valid".into()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let hl = holder_link::ActiveModel {
        facility_id: Set(f.id),
        certificate_id: Set(cert.id),
        code_hash: Set("ab".repeat(32)),
        created_at: Set(now()),
        expires_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let cc = competency_certificate::ActiveModel {
        facility_id: Set(f.id),
        inmate_id: Set(i.id),
        lsp_name: Set("LSP".into()),
        number: Set("K-1".into()),
        scheme: Set("Las SMAW".into()),
        issued_on: Set(day(26)),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let fu = follow_up::ActiveModel {
        facility_id: Set(f.id),
        inmate_id: Set(i.id),
        months_after_release: Set(3),
        due_on: Set(day(28)),
        in_trained_trade: Set(false),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    let cp = audit_checkpoint::ActiveModel {
        chain: Set("facility:1".into()),
        seq: Set(0),
        head_hash: Set("0".into()),
        key_id: Set("k".into()),
        signature: Set("s".into()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(c)
    .await
    .unwrap();
    tx.audit(
        "create",
        "world",
        f.id,
        Changes::note(json!({"rows": "all tables"})),
    );
    tx.commit().await.unwrap();

    let mut tx = store
        .begin_write(AuditScope::Facility(1), actor, now())
        .await
        .unwrap();
    let db = tx.conn();
    let mut covered: Vec<&'static str> = Vec::new();
    read_update!(
        db,
        covered,
        facility,
        f.id,
        name,
        "Lapas Kelas IIA Pekalongan".to_owned()
    );
    read_update!(
        db,
        covered,
        partner,
        p.id,
        city,
        Some("Kota Pekalongan".to_owned())
    );
    read_update!(db, covered, partnership, ps.id, valid_to, Some(day(30)));
    read_update!(db, covered, user, u.id, failed_logins, 1);
    read_update!(
        db,
        covered,
        user_session,
        us.id_hash.clone(),
        second_factor_done,
        true
    );
    read_update!(db, covered, api_token, at.id, revoked_at, Some(now()));
    read_update!(db, covered, login_attempt, la.id, succeeded, true);
    read_update!(
        db,
        covered,
        setting,
        st.key.clone(),
        value,
        "3,6,12,24".to_owned()
    );
    read_update!(db, covered, package, pk.id, capacity, 8);
    read_update!(
        db,
        covered,
        competency_unit,
        cu.id,
        title_en,
        Some("OHS".to_owned())
    );
    read_update!(db, covered, package_unit, pu.id, position, 1);
    read_update!(
        db,
        covered,
        eligibility_rule,
        er.id,
        parameters,
        json!({"min": 65})
    );
    read_update!(db, covered, trainer, t.id, phone, Some("0812".to_owned()));
    read_update!(db, covered, trainer_skill, ts.id, skill, "AC".to_owned());
    read_update!(
        db,
        covered,
        trainer_unavailability,
        tu.id,
        reason,
        Some("cuti".to_owned())
    );
    read_update!(db, covered, room, r.id, package_codes, Some(json!(["LAS"])));
    read_update!(db, covered, holiday, h.id, kind, "cuti_bersama".to_owned());
    read_update!(db, covered, inmate, i.id, sppn_score, Some(80));
    read_update!(
        db,
        covered,
        custody_event,
        ce.id,
        reason,
        Some("pindah".to_owned())
    );
    read_update!(
        db,
        covered,
        column_mapping,
        cm.id,
        name,
        "SDP 2022".to_owned()
    );
    read_update!(db, covered, import_run, ir.id, finished_at, Some(now()));
    read_update!(db, covered, import_error, ie.id, row_number, 4);
    read_update!(db, covered, assessment, a.id, skill_score, Some(75));
    read_update!(db, covered, non_association, na.id, ended_at, Some(now()));
    read_update!(db, covered, selection, s.id, status, "approved".to_owned());
    read_update!(db, covered, selection_entry, se.id, rank, Some(1));
    read_update!(
        db,
        covered,
        waiting_list_entry,
        we.id,
        status,
        "approved".to_owned()
    );
    read_update!(
        db,
        covered,
        waiting_list_event,
        wv.id,
        reason,
        Some("kuota".to_owned())
    );
    read_update!(db, covered, plan, pl.id, value, Some(20_622));
    read_update!(
        db,
        covered,
        training_class,
        cl.id,
        status,
        "running".to_owned()
    );
    read_update!(db, covered, class_trainer, ct.id, date_to, Some(day(22)));
    read_update!(db, covered, enrolment, en.id, state, "completed".to_owned());
    read_update!(
        db,
        covered,
        enrolment_event,
        ee.id,
        reason,
        Some("lulus".to_owned())
    );
    read_update!(
        db,
        covered,
        training_session,
        sess.id,
        status,
        "held".to_owned()
    );
    read_update!(db, covered, attendance, att.id, revision, 2);
    read_update!(
        db,
        covered,
        attendance_revision,
        ar.id,
        excuse_kind,
        Some("sick".to_owned())
    );
    read_update!(
        db,
        covered,
        idempotency_key,
        ik.key.clone(),
        status_code,
        201
    );
    read_update!(db, covered, unit_result, ur.id, current, false);
    read_update!(db, covered, issuer_key, key.id, retired_at, Some(now()));
    read_update!(db, covered, status_list, sl.id, next_index, 2);
    read_update!(
        db,
        covered,
        issuance_batch,
        ib.id,
        status,
        "approved".to_owned()
    );
    read_update!(
        db,
        covered,
        certificate,
        cert.id,
        status,
        "revoked".to_owned()
    );
    read_update!(db, covered, holder_link, hl.id, withdrawn_at, Some(now()));
    read_update!(
        db,
        covered,
        competency_certificate,
        cc.id,
        valid_until,
        Some(day(29))
    );
    read_update!(
        db,
        covered,
        follow_up,
        fu.id,
        outcome,
        Some("employed".to_owned())
    );
    read_update!(
        db,
        covered,
        audit_checkpoint,
        cp.id,
        key_id,
        "k2".to_owned()
    );
    // The audit tables are written by commit itself; reading them back is the chain check.
    covered.push(audit_log::Entity.table_name());
    covered.push(audit_head::Entity.table_name());
    tx.audit(
        "update",
        "world",
        f.id,
        Changes::note(json!({"rows": "all tables"})),
    );
    tx.commit().await.unwrap();
    covered
}
