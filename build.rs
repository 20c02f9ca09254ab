//! Rebuild when a built-in rule file changes: `include_dir!` embeds `rules/`,
//! but Cargo on stable does not track the files it reads.
fn main() {
    println!("cargo:rerun-if-changed=rules");
}
