//! The storage conformance suite: one set of stories that every backend must pass, so that
//! SQLite and PostgreSQL behave the same behind `dyn Backend`.
//!
//! Each story takes a fresh, empty backend and panics on the first broken expectation,
//! naming the backend. `tests/conformance.rs` runs every story on both engines; `fixtures`
//! creates the throwaway PostgreSQL databases and `data` the test rows; both are public so
//! that other crates' integration tests can use them too.

mod agent;
mod agent_config;
mod approval;
mod audit;
mod classification;
mod company;
mod config;
mod conversation;
mod conversation_record;
mod conversation_workflow;
mod customer;
pub mod data;
mod event;
mod faq;
pub mod fixtures;
mod job;
mod knowledge;
mod queue;
mod rollup;
mod routing;
mod routing_setup;
mod session;
pub mod tool;
mod user;
pub mod workflow;

pub use agent::{agent_presence_and_deactivation, agents_story};
pub use agent_config::{
    agent_config_of_unknown_company_is_not_found, agent_config_partial_updates,
};
pub use approval::{approvals_are_listed_routed_and_decided_once, approvals_escalate_and_reassign};
pub use audit::audit_log_pages_newest_first;
pub use classification::{
    classification_examples_story, example_imports_are_all_or_nothing,
    examples_are_invisible_to_other_companies,
};
pub use company::{
    company_status_can_be_suspended_and_restored, duplicate_company_email_conflicts,
    other_company_reads_are_not_found, registration_is_all_or_nothing, registration_story,
    users_are_scoped_to_their_company,
};
pub use config::identity_settings_story;
pub use conversation::{
    conversations_story, feedback_is_once_per_conversation_with_its_event, new_conversation,
};
pub use conversation_record::{
    classification_is_recorded_on_the_conversation, concurrent_claims_have_one_winner,
    conversation_lists_filter_and_page, conversations_are_found_by_session_across_companies,
    idle_ai_conversations_are_found_across_companies, record_appends_messages_and_events_together,
    status_changes_are_compare_and_set,
};
pub use conversation_workflow::workflow_state_and_priority_are_recorded;
pub use customer::{customers_story, duplicate_customers_conflict};
pub use event::events_are_listed_in_time_range_and_scoped;
pub use faq::{faqs_are_invisible_to_other_companies, faqs_story};
pub use job::{
    claims_prefer_companies_with_nothing_running, concurrent_claimers_never_share_a_job,
    exhausted_jobs_are_not_claimed_but_handed_out_to_fail,
    jobs_are_claimed_oldest_first_across_companies, jobs_are_leased_retried_failed_and_finished,
};
pub use knowledge::{
    a_title_change_during_indexing_requeues_it, deleting_a_document_removes_its_chunks,
    documents_story, indexing_lands_only_on_its_revision,
    knowledge_is_invisible_to_other_companies, knowledge_stamp_follows_every_change,
    ten_thousand_chunks_land_quickly,
};
pub use queue::{
    a_handoff_write_queues_its_conversation_once, a_subject_is_queued_once_and_can_be_taken_over,
    queue_and_approvals_are_invisible_to_other_companies,
    takeover_and_release_writes_keep_the_queue_in_step,
};
pub use rollup::rollups_story;
pub use routing::{
    concurrent_routings_never_exceed_capacity, offline_and_deactivated_agents_release_their_items,
    skills_fall_back_and_idle_agents_go_first,
};
pub use session::{sessions_are_purged_across_companies, sessions_story};
pub use tool::{
    duplicate_tool_names_conflict, tools_are_invisible_to_other_companies, tools_story,
};
pub use user::{
    active_users_are_found_by_email_across_companies, create_user_and_duplicate_email_conflicts,
    set_password_changes_hash_and_flag,
};
pub use workflow::{
    duplicate_workflow_names_conflict, workflows_are_invisible_to_other_companies, workflows_story,
};
