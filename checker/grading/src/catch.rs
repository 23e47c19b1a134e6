//! Running learner code on one input at a time, so that a panic names the
//! input it happened on ("blur panicked on the 1x1 image") instead of
//! ending the whole check.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, Once};

/// A panic caught by [`catching`]: its message and, where known, its place
/// as `crate/src/file.rs:line`.
pub type Caught = (String, Option<String>);

/// The first panic raised while `catching` runs, with its place: rayon and
/// `std::thread::scope` re-raise a worker's panic on the calling thread with
/// a payload that may say less ("a scoped thread panicked"), so the original
/// is taken from a panic hook.
static FIRST_PANIC: Mutex<Option<Caught>> = Mutex::new(None);

fn text_of(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Runs `f`, turning a panic into its message and place. A `todo!()` is
/// raised again, so the check reads "not started" like every other.
pub fn catching<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        // Wrap the harness's hook (which reports the panic and prints it):
        // note the first panic's message and place, then let it do its part.
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if let Ok(mut first) = FIRST_PANIC.lock()
                && first.is_none()
            {
                *first = Some((
                    text_of(info.payload()),
                    info.location()
                        .map(|l| format!("{}:{}", l.file(), l.line())),
                ));
            }
            previous(info);
        }));
    });
    *FIRST_PANIC.lock().unwrap_or_else(|p| p.into_inner()) = None;
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Ok(value),
        Err(payload) => {
            let first = FIRST_PANIC.lock().unwrap_or_else(|p| p.into_inner()).take();
            let (message, location) = first.unwrap_or_else(|| (text_of(&*payload), None));
            if message.starts_with("not yet implemented") {
                panic::resume_unwind(payload);
            }
            Err((message, location.map(|l| short_location(&l))))
        }
    }
}

/// A panic's place from its crate's folder on: `fx/src/lib.rs:9` for
/// `/any/path/fx/src/lib.rs:9`, so messages name the file a learner knows.
pub fn short_location(location: &str) -> String {
    match location.rfind("/src/") {
        Some(at) => {
            let start = location[..at].rfind('/').map_or(0, |slash| slash + 1);
            location[start..].to_string()
        }
        None => location.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_locations_start_at_the_crate_folder() {
        assert_eq!(
            short_location("/w/tests/fx/short/src/lib.rs:9"),
            "short/src/lib.rs:9"
        );
        assert_eq!(
            short_location("/a/fx/src/deep/mod.rs:2"),
            "fx/src/deep/mod.rs:2"
        );
        assert_eq!(short_location("src/lib.rs:3"), "src/lib.rs:3");
        assert_eq!(short_location("lib.rs:3"), "lib.rs:3");
    }

    /// A panic comes back as its message and place; a `todo!()` goes on
    /// up, as the stub's "not started".
    #[test]
    fn panics_are_caught_but_todo_is_not() {
        let caught = catching(|| panic!("on one input")).unwrap_err();
        assert_eq!(caught.0, "on one input");
        assert!(caught.1.is_some_and(|l| l.contains("src/catch.rs")));
        assert_eq!(catching(|| 3), Ok(3));
        let todo = panic::catch_unwind(|| catching(|| todo!()));
        assert!(todo.is_err());
    }
}
