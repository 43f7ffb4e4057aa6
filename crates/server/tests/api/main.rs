//! End-to-end tests of the HTTP API: a real server on a real port against a real database
//! (SQLite by default; PostgreSQL when `SWITCHBOARD_TEST_BACKEND=postgres`).

mod agent_conversations;
mod agents;
mod approvals;
mod audit;
mod auth;
mod chat;
mod chat_llm;
mod chat_socket;
mod classification;
mod config;
mod customers;
mod errors;
mod feedback;
mod handoffs;
mod helpers;
mod idle;
mod isolation;
mod knowledge;
mod knowledge_documents;
mod knowledge_faqs;
mod openapi;
mod ops;
mod passwords;
mod performance;
mod queue;
mod sockets;
mod throttling;
mod tools;
mod workflows;
