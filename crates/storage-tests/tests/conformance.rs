//! Every conformance story, each run on a fresh SQLite file and a fresh PostgreSQL database.

use switchboard_storage::Backend;
use switchboard_storage_postgres::PostgresBackend;
use switchboard_storage_sqlite::SqliteBackend;
use switchboard_storage_tests::{self as stories, fixtures};

enum Guard {
    Sqlite(tempfile::TempDir),
    Postgres(fixtures::PgDbGuard),
}

struct TestBackend {
    name: &'static str,
    backend: Box<dyn Backend>,
    guard: Guard,
}

impl TestBackend {
    /// Drop cannot await, so each test ends by calling this: pools are closed before their
    /// database or directory goes away.
    async fn cleanup(self) {
        self.backend.close().await;
        match self.guard {
            Guard::Sqlite(dir) => dir.close().expect("removing the SQLite directory"),
            Guard::Postgres(db) => db.drop_database().await,
        }
    }
}

async fn backends() -> Vec<TestBackend> {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite =
        SqliteBackend::open(&dir.path().join("switchboard.db")).await.expect("open SQLite");
    let mut all =
        vec![TestBackend { name: "sqlite", backend: Box::new(sqlite), guard: Guard::Sqlite(dir) }];
    if !fixtures::postgres_skipped() {
        let (url, db) = fixtures::fresh_postgres_database().await;
        let pg = PostgresBackend::connect(&url, 4).await.expect("connect to PostgreSQL");
        all.push(TestBackend {
            name: "postgres",
            backend: Box::new(pg),
            guard: Guard::Postgres(db),
        });
    }
    all
}

async fn on_every_backend(story: impl AsyncFn(&dyn Backend)) {
    for test in backends().await {
        assert_eq!(test.backend.kind().as_str(), test.name, "backend kind");
        story(test.backend.as_ref()).await;
        eprintln!("passed on {}", test.name);
        test.cleanup().await;
    }
}

#[tokio::test]
async fn registration_story() {
    on_every_backend(stories::registration_story).await;
}

#[tokio::test]
async fn company_status_can_be_suspended_and_restored() {
    on_every_backend(stories::company_status_can_be_suspended_and_restored).await;
}

#[tokio::test]
async fn duplicate_company_email_conflicts() {
    on_every_backend(stories::duplicate_company_email_conflicts).await;
}

#[tokio::test]
async fn registration_is_all_or_nothing() {
    on_every_backend(stories::registration_is_all_or_nothing).await;
}

#[tokio::test]
async fn users_are_scoped_to_their_company() {
    on_every_backend(stories::users_are_scoped_to_their_company).await;
}

#[tokio::test]
async fn other_company_reads_are_not_found() {
    on_every_backend(stories::other_company_reads_are_not_found).await;
}

#[tokio::test]
async fn sessions_story() {
    on_every_backend(stories::sessions_story).await;
}

#[tokio::test]
async fn sessions_are_purged_across_companies() {
    on_every_backend(stories::sessions_are_purged_across_companies).await;
}

#[tokio::test]
async fn audit_log_pages_newest_first() {
    on_every_backend(stories::audit_log_pages_newest_first).await;
}

#[tokio::test]
async fn events_are_listed_in_time_range_and_scoped() {
    on_every_backend(stories::events_are_listed_in_time_range_and_scoped).await;
}

#[tokio::test]
async fn create_user_and_duplicate_email_conflicts() {
    on_every_backend(stories::create_user_and_duplicate_email_conflicts).await;
}

#[tokio::test]
async fn active_users_are_found_by_email_across_companies() {
    on_every_backend(stories::active_users_are_found_by_email_across_companies).await;
}

#[tokio::test]
async fn set_password_changes_hash_and_flag() {
    on_every_backend(stories::set_password_changes_hash_and_flag).await;
}

#[tokio::test]
async fn customers_story() {
    on_every_backend(stories::customers_story).await;
}

#[tokio::test]
async fn duplicate_customers_conflict() {
    on_every_backend(stories::duplicate_customers_conflict).await;
}

#[tokio::test]
async fn identity_settings_story() {
    on_every_backend(stories::identity_settings_story).await;
}

#[tokio::test]
async fn agent_config_partial_updates() {
    on_every_backend(stories::agent_config_partial_updates).await;
}

#[tokio::test]
async fn agent_config_of_unknown_company_is_not_found() {
    on_every_backend(stories::agent_config_of_unknown_company_is_not_found).await;
}

#[tokio::test]
async fn agents_story() {
    on_every_backend(stories::agents_story).await;
}

#[tokio::test]
async fn agent_presence_and_deactivation() {
    on_every_backend(stories::agent_presence_and_deactivation).await;
}

#[tokio::test]
async fn conversations_story() {
    on_every_backend(stories::conversations_story).await;
}

#[tokio::test]
async fn feedback_is_once_per_conversation_with_its_event() {
    on_every_backend(stories::feedback_is_once_per_conversation_with_its_event).await;
}

#[tokio::test]
async fn workflow_state_and_priority_are_recorded() {
    on_every_backend(stories::workflow_state_and_priority_are_recorded).await;
}

#[tokio::test]
async fn idle_ai_conversations_are_found_across_companies() {
    on_every_backend(stories::idle_ai_conversations_are_found_across_companies).await;
}

#[tokio::test]
async fn conversations_are_found_by_session_across_companies() {
    on_every_backend(stories::conversations_are_found_by_session_across_companies).await;
}

#[tokio::test]
async fn record_appends_messages_and_events_together() {
    on_every_backend(stories::record_appends_messages_and_events_together).await;
}

#[tokio::test]
async fn status_changes_are_compare_and_set() {
    on_every_backend(stories::status_changes_are_compare_and_set).await;
}

#[tokio::test]
async fn concurrent_claims_have_one_winner() {
    on_every_backend(stories::concurrent_claims_have_one_winner).await;
}

#[tokio::test]
async fn conversation_lists_filter_and_page() {
    on_every_backend(stories::conversation_lists_filter_and_page).await;
}

#[tokio::test]
async fn classification_is_recorded_on_the_conversation() {
    on_every_backend(stories::classification_is_recorded_on_the_conversation).await;
}

#[tokio::test]
async fn rollups_story() {
    on_every_backend(stories::rollups_story).await;
}

#[tokio::test]
async fn documents_story() {
    on_every_backend(stories::documents_story).await;
}

#[tokio::test]
async fn indexing_lands_only_on_its_revision() {
    on_every_backend(stories::indexing_lands_only_on_its_revision).await;
}

#[tokio::test]
async fn a_title_change_during_indexing_requeues_it() {
    on_every_backend(stories::a_title_change_during_indexing_requeues_it).await;
}

#[tokio::test]
async fn deleting_a_document_removes_its_chunks() {
    on_every_backend(stories::deleting_a_document_removes_its_chunks).await;
}

#[tokio::test]
async fn knowledge_is_invisible_to_other_companies() {
    on_every_backend(stories::knowledge_is_invisible_to_other_companies).await;
}

#[tokio::test]
async fn knowledge_stamp_follows_every_change() {
    on_every_backend(stories::knowledge_stamp_follows_every_change).await;
}

#[tokio::test]
async fn ten_thousand_chunks_land_quickly() {
    on_every_backend(stories::ten_thousand_chunks_land_quickly).await;
}

#[tokio::test]
async fn faqs_story() {
    on_every_backend(stories::faqs_story).await;
}

#[tokio::test]
async fn faqs_are_invisible_to_other_companies() {
    on_every_backend(stories::faqs_are_invisible_to_other_companies).await;
}

#[tokio::test]
async fn jobs_are_leased_retried_failed_and_finished() {
    on_every_backend(stories::jobs_are_leased_retried_failed_and_finished).await;
}

#[tokio::test]
async fn jobs_are_claimed_oldest_first_across_companies() {
    on_every_backend(stories::jobs_are_claimed_oldest_first_across_companies).await;
}

#[tokio::test]
async fn concurrent_claimers_never_share_a_job() {
    on_every_backend(stories::concurrent_claimers_never_share_a_job).await;
}

#[tokio::test]
async fn exhausted_jobs_are_not_claimed_but_handed_out_to_fail() {
    on_every_backend(stories::exhausted_jobs_are_not_claimed_but_handed_out_to_fail).await;
}

#[tokio::test]
async fn claims_prefer_companies_with_nothing_running() {
    on_every_backend(stories::claims_prefer_companies_with_nothing_running).await;
}

#[tokio::test]
async fn classification_examples_story() {
    on_every_backend(stories::classification_examples_story).await;
}

#[tokio::test]
async fn example_imports_are_all_or_nothing() {
    on_every_backend(stories::example_imports_are_all_or_nothing).await;
}

#[tokio::test]
async fn examples_are_invisible_to_other_companies() {
    on_every_backend(stories::examples_are_invisible_to_other_companies).await;
}

#[tokio::test]
async fn approvals_are_listed_routed_and_decided_once() {
    on_every_backend(stories::approvals_are_listed_routed_and_decided_once).await;
}

#[tokio::test]
async fn approvals_escalate_and_reassign() {
    on_every_backend(stories::approvals_escalate_and_reassign).await;
}

#[tokio::test]
async fn a_subject_is_queued_once_and_can_be_taken_over() {
    on_every_backend(stories::a_subject_is_queued_once_and_can_be_taken_over).await;
}

#[tokio::test]
async fn a_handoff_write_queues_its_conversation_once() {
    on_every_backend(stories::a_handoff_write_queues_its_conversation_once).await;
}

#[tokio::test]
async fn takeover_and_release_writes_keep_the_queue_in_step() {
    on_every_backend(stories::takeover_and_release_writes_keep_the_queue_in_step).await;
}

#[tokio::test]
async fn queue_and_approvals_are_invisible_to_other_companies() {
    on_every_backend(stories::queue_and_approvals_are_invisible_to_other_companies).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_routings_never_exceed_capacity() {
    on_every_backend(stories::concurrent_routings_never_exceed_capacity).await;
}

#[tokio::test]
async fn skills_fall_back_and_idle_agents_go_first() {
    on_every_backend(stories::skills_fall_back_and_idle_agents_go_first).await;
}

#[tokio::test]
async fn offline_and_deactivated_agents_release_their_items() {
    on_every_backend(stories::offline_and_deactivated_agents_release_their_items).await;
}

#[tokio::test]
async fn tools_story() {
    on_every_backend(stories::tools_story).await;
}

#[tokio::test]
async fn duplicate_tool_names_conflict() {
    on_every_backend(stories::duplicate_tool_names_conflict).await;
}

#[tokio::test]
async fn tools_are_invisible_to_other_companies() {
    on_every_backend(stories::tools_are_invisible_to_other_companies).await;
}

#[tokio::test]
async fn workflows_story() {
    on_every_backend(stories::workflows_story).await;
}

#[tokio::test]
async fn duplicate_workflow_names_conflict() {
    on_every_backend(stories::duplicate_workflow_names_conflict).await;
}

#[tokio::test]
async fn workflows_are_invisible_to_other_companies() {
    on_every_backend(stories::workflows_are_invisible_to_other_companies).await;
}
