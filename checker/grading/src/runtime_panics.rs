//! The checker's own words for panics that tokio raises itself.
//!
//! When learner code blocks inside the runtime in a way tokio can detect,
//! tokio panics with a message written for people who already know its
//! internals ("can call blocking only when running on the multi-threaded
//! runtime"). The report shows that message, and next to it the
//! explanation from here: what the code did, why it cannot work on the
//! checker's one-thread runtime, and what to write instead.
//!
//! Matching is on fragments of tokio's text, which is all a panic carries.
//! Each fragment comes from tokio 1.x's source (named beside it); a tokio
//! that rewords a message only loses the explanation, never the panic.

/// One known panic: a fragment of tokio's message and our explanation.
struct Known {
    fragment: &'static str,
    explanation: &'static str,
}

const KNOWN: &[Known] = &[
    // tokio::task::block_in_place (runtime/scheduler/multi_thread/worker.rs)
    Known {
        fragment: "can call blocking only when running on the multi-threaded runtime",
        explanation: "tokio::task::block_in_place was called on a current-thread runtime. It \
            works by handing the other tasks to another worker thread while this one blocks, \
            and a current-thread runtime has no other worker: its one thread is the only one \
            there is. Await the work instead, or move blocking work off the runtime with \
            tokio::task::spawn_blocking and await its handle.",
    },
    // Handle::block_on, Runtime::block_on, #[tokio::main] inside async
    // (runtime/context/runtime.rs)
    Known {
        fragment: "Cannot start a runtime from within a runtime",
        explanation: "block_on (of a Handle or a Runtime) was called on a thread that is already \
            running async tasks. block_on holds the thread until its future is done, and that \
            future needs the very thread it holds, so tokio refuses instead of hanging. Inside \
            an async fn, .await the future instead of blocking on it.",
    },
    // blocking_recv, blocking_send, blocking_lock and friends of tokio::sync
    // (future/block_on.rs)
    Known {
        fragment: "Cannot block the current thread from within a runtime",
        explanation: "a blocking_* method of tokio::sync (blocking_recv, blocking_send, \
            blocking_lock, ...) was called inside async code. Those are for plain threads \
            outside the runtime; inside it they would freeze the thread that must run the \
            sender. Use the async method with .await (recv().await, lock().await).",
    },
    // Dropping a Runtime inside async (runtime/blocking/shutdown.rs)
    Known {
        fragment: "Cannot drop a runtime in a context where blocking is not allowed",
        explanation: "a tokio Runtime was created and then dropped inside async code. Dropping \
            a runtime waits for its threads to stop, which blocks the thread that runs your \
            async code. You need no runtime of your own: the code already runs on one, so \
            .await the futures there.",
    },
    // tokio::spawn, sleep, ... on a thread with no runtime
    // (util/error.rs, CONTEXT_MISSING_ERROR)
    Known {
        fragment: "there is no reactor running, must be called from the context of a Tokio",
        explanation: "a tokio function (tokio::spawn, a sleep, a timeout) was called on a thread \
            where no tokio runtime runs, typically a std::thread you started. Those functions \
            need the runtime of the thread they run on: keep the work as futures awaited \
            where load_profile runs, not on threads of your own.",
    },
    // A timer or task used while its runtime shuts down
    // (util/error.rs, RUNTIME_SHUTTING_DOWN_ERROR)
    Known {
        fragment: "A Tokio 1.x context was found, but it is being shutdown",
        explanation: "a timer or task was used while its runtime was shutting down, for example \
            a task left running after load_profile returned, or a runtime of your own that \
            was dropped. Await every future you start before returning.",
    },
    // A runtime built without timers (runtime/driver.rs)
    Known {
        fragment: "timers are disabled",
        explanation: "a simulated fetch waited on a runtime built without timers, that is a \
            runtime of your own (Builder without enable_time or enable_all). Await the \
            fetches on the runtime that runs load_profile: it has timers, and its paused \
            clock is the one the checker reads.",
    },
];

/// The checker's explanation of a panic raised by tokio itself, if
/// `message` is one of the panics it knows; `None` for any other panic.
pub fn explain_runtime_panic(message: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|known| message.contains(known.fragment))
        .map(|known| known.explanation)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// tokio's messages, as it panics with them (1.54).
    const BLOCK_IN_PLACE: &str =
        "can call blocking only when running on the multi-threaded runtime";
    const NESTED_BLOCK_ON: &str = "Cannot start a runtime from within a runtime. This happens \
        because a function (like `block_on`) attempted to block the current thread while the \
        thread is being used to drive asynchronous tasks.";
    const BLOCKING_RECV: &str = "Cannot block the current thread from within a runtime. This \
        happens because a function attempted to block the current thread while the thread is \
        being used to drive asynchronous tasks.";
    const DROP_RUNTIME: &str = "Cannot drop a runtime in a context where blocking is not \
        allowed. This happens when a runtime is dropped from within an asynchronous context.";
    const NO_RUNTIME: &str =
        "there is no reactor running, must be called from the context of a Tokio 1.x runtime";
    const SHUTTING_DOWN: &str = "A Tokio 1.x context was found, but it is being shutdown.";
    const NO_TIMERS: &str = "A Tokio 1.x context was found, but timers are disabled. Call \
        `enable_time` on the runtime builder to enable timers.";

    #[test]
    fn block_in_place_on_a_current_thread_runtime_is_explained() {
        let text = explain_runtime_panic(BLOCK_IN_PLACE).expect("known");
        assert!(text.contains("block_in_place") && text.contains("spawn_blocking"));
    }

    #[test]
    fn block_on_inside_a_runtime_is_explained() {
        let text = explain_runtime_panic(NESTED_BLOCK_ON).expect("known");
        assert!(text.contains("block_on") && text.contains(".await"));
    }

    #[test]
    fn blocking_methods_of_tokio_sync_are_explained() {
        let text = explain_runtime_panic(BLOCKING_RECV).expect("known");
        assert!(text.contains("blocking_recv"));
    }

    #[test]
    fn dropping_a_runtime_inside_async_is_explained() {
        let text = explain_runtime_panic(DROP_RUNTIME).expect("known");
        assert!(text.contains("dropped inside async code"));
    }

    #[test]
    fn tokio_calls_without_a_runtime_are_explained() {
        let text = explain_runtime_panic(NO_RUNTIME).expect("known");
        assert!(text.contains("std::thread"));
    }

    #[test]
    fn a_shutting_down_runtime_is_explained() {
        assert!(explain_runtime_panic(SHUTTING_DOWN).is_some());
    }

    #[test]
    fn a_runtime_without_timers_is_explained() {
        let text = explain_runtime_panic(NO_TIMERS).expect("known");
        assert!(text.contains("enable_time"));
    }

    /// The fragment may sit inside a longer message (a panic re-raised by
    /// a JoinHandle, say), and every known panic has its own explanation.
    #[test]
    fn fragments_match_inside_longer_messages_and_explanations_differ() {
        let wrapped = format!("task 3 panicked: {BLOCK_IN_PLACE}");
        assert_eq!(
            explain_runtime_panic(&wrapped),
            explain_runtime_panic(BLOCK_IN_PLACE)
        );
        let mut all: Vec<&str> = KNOWN.iter().map(|k| k.explanation).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), KNOWN.len());
    }

    /// The learner's own panics, `todo!()` and lab's messages are not
    /// tokio's: no explanation is added to them.
    #[test]
    fn other_panics_get_no_explanation() {
        for message in [
            "boom",
            "not yet implemented",
            "lab: the simulated call `user` was awaited outside a tokio runtime.",
            "called `Option::unwrap()` on a `None` value",
        ] {
            assert_eq!(explain_runtime_panic(message), None, "{message}");
        }
    }
}
