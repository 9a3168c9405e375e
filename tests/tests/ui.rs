//! Compile-time behaviour of `#[oneloop]`. Each file in `ui/fail` must fail to compile with
//! exactly the errors in its `.stderr` file, and each program in `ui/pass` must compile under
//! `#![deny(warnings)]` and run.
//!
//! After a deliberate change to a message, regenerate the expected output with
//! `TRYBUILD=overwrite cargo test -p oneloop-tests --test ui` and review the diff.

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn ui_cases_compile_as_expected() {
    let fail = stems_with_extension("tests/ui/fail", "rs");
    let pass = stems_with_extension("tests/ui/pass", "rs");
    // trybuild runs nothing, and passes, when a glob matches no file.
    assert!(!fail.is_empty(), "no compile-fail cases in tests/ui/fail");
    assert!(!pass.is_empty(), "no pass cases in tests/ui/pass");
    assert_no_stale_stderr("tests/ui/fail", &fail);
    assert_no_stale_stderr("tests/ui/pass", &pass);

    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}

/// Fails when a `.stderr` file has no case beside it, as after a case is renamed or deleted.
/// trybuild ignores such a file, so its expected output would silently stop being checked.
fn assert_no_stale_stderr(dir: &str, cases: &BTreeSet<String>) {
    for stem in stems_with_extension(dir, "stderr") {
        assert!(
            cases.contains(&stem),
            "{dir}/{stem}.stderr has no {stem}.rs beside it. Delete the .stderr file or \
             restore the case."
        );
    }
}

/// Returns the names, without extension, of the files in `dir` that end in `.{extension}`.
/// `dir` is relative to this package.
fn stems_with_extension(dir: &str, extension: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let entries = std::fs::read_dir(&path)
        .unwrap_or_else(|error| panic!("failed to list {}: {error}", path.display()));
    let mut stems = BTreeSet::new();
    for entry in entries {
        let file = entry
            .unwrap_or_else(|error| panic!("failed to list {}: {error}", path.display()))
            .path();
        if file.extension().is_some_and(|found| found == extension) {
            let stem = file.file_stem().unwrap_or_default().to_string_lossy();
            stems.insert(stem.into_owned());
        }
    }
    stems
}
