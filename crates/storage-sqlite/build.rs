// `sqlx::migrate!` embeds the migration files at compile time, but cargo only watches Rust
// sources; without this an added migration would not trigger a rebuild.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
