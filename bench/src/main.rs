//! `cargo run -p bench`: the speedups of the reference solutions on this
//! machine. (A placeholder main: the figures come from `speedups`.)

mod speedups;

fn main() {
    let rows = speedups::measure_all();
    println!(
        "{:<24} {:<54} {:>7} {:>11} {:>11} {:>7}",
        "exercise", "what", "threads", "1 thread", "all", "speedup"
    );
    for s in &rows {
        println!(
            "{:<24} {:<54} {:>7} {:>8.1} ms {:>8.1} ms {:>6.2}x",
            s.exercise,
            s.what,
            s.threads,
            s.one_thread.as_secs_f64() * 1000.0,
            s.all_threads.as_secs_f64() * 1000.0,
            s.ratio()
        );
    }
    println!("best of {} runs per side, taken in turns", speedups::RUNS);
}
