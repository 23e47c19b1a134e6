//! The exercise stubs as committed: every check reaches `todo!()`. Graded
//! in a pristine copy of the workspace, so a learner's own work in
//! `exercises/` (solved, half done or not compiling) never fails this test.

use crate::support::{Workspace, catalogue, is_stub};

/// With no arguments the checker grades exercises/, where every function
/// is still `todo!()`: each check of every exercise in the catalogue is
/// `not_started` (not panicked, not failed), pointing at the stub's file,
/// and the exit code is 1 because nothing passed.
#[test]
fn every_stub_check_is_not_started() {
    let copy = Workspace::pristine("stubs");
    let report = copy.run_json(&[]);
    report.run.assert_code(1);
    let entries = catalogue();
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(report.ids(), ids);
    for id in ids.iter().filter(|id| is_stub(&copy.root, id)) {
        report.expect_status(id, "not_started");
        report.expect_all(
            id,
            "not_started",
            &["reached todo!()", &format!("exercises/{id}/src/lib.rs:")],
        );
    }
    assert_eq!(report.json["summary"]["passed"], 0);
    assert_eq!(report.json["summary"]["points"], 0);
    let max: u64 = entries.iter().map(|e| e.points).sum();
    assert_eq!(report.json["summary"]["max_points"], max);
}
