//! The untouched exercise stubs: every check reaches `todo!()`.

use crate::support::run_json;

/// With no arguments the checker grades exercises/, where every `blur` and
/// `load_profile` is still `todo!()`: each check is `not_started` (not
/// panicked, not failed), pointing at the stub's file, and the exit code
/// is 1 because nothing passed.
#[test]
fn every_stub_check_is_not_started() {
    let report = run_json(&[]);
    report.run.assert_code(1);
    assert_eq!(report.ids(), ["02_three_fetches", "06_blur_in_parallel"]);
    for id in report.ids() {
        report.expect_status(id, "not_started");
        report.expect_all(
            id,
            "not_started",
            &["reached todo!()", &format!("exercises/{id}/src/lib.rs:")],
        );
    }
    assert_eq!(report.json["summary"]["passed"], 0);
    assert_eq!(report.json["summary"]["points"], 0);
}
