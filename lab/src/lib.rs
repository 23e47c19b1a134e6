//! # lab: the world the exercises live in
//!
//! Every exercise works against stand-ins from this crate instead of a real
//! network, database or camera. The stand-ins behave like the real thing (a
//! fetch waits, a blur burns CPU) and they also *watch* what your code does
//! with them, which is how the checker can tell which model you used.
//!
//! | module | what it holds |
//! |---|---|
//! | [`io`] | simulated waiting (network, database) and the [`io::Recorder`] that logs every call |
//! | [`stall`] | instruments that notice a blocked async runtime: a heartbeat and a poll timer |
//! | [`cpu`] | instruments for CPU work: which thread ran it, for how long, how many at once |
//! | [`image`] | a small RGB image type, a seeded image generator and PNG output |
//! | [`scenario`] | the scenarios of exercise 01: tasks that compute and wait, run in a row, concurrently or in parallel |
//! | [`profile`] | the profile API of exercise 02: user, posts and friends, each a simulated fetch |
//! | [`urls`] | the URL API of exercise 03: a thousand pages, each a simulated fetch, some failing |
//! | [`mirrors`] | the mirrors of exercise 04: one file on several servers, and a log of cancelled fetches |
//! | [`password`] | the login server of exercise 05: a slow password hash, login requests and replies |
//! | [`blur`] | the box-blur kernel of exercise 06, one row at a time |
//! | [`batch`] | the two steps of exercise 07, a whole photo per call: blur, then equalise |
//! | [`gallery`] | the image server and the store of exercise 10, each call a simulated wait |
//! | [`library`] | the shelf of books of exercise 08, each read by a CPU-bound kernel |
//! | [`jobs`] | the CPU jobs of exercise 12, of different lengths |
//! | [`workload`] | the workloads of exercise 09: steps that compute and steps that wait, of hidden cost |
//! | [`catalogue`] | the library of exercise 11: slips that cost CPU to read, a database that waits |
//!
//! You never need the instruments in your own solution: the checker switches
//! them on. They cost next to nothing while switched off.

#![warn(missing_docs)]

pub mod batch;
pub mod blur;
pub mod catalogue;
pub mod cpu;
pub mod gallery;
pub mod image;
pub mod io;
pub mod jobs;
pub mod library;
pub mod mirrors;
pub mod password;
pub mod profile;
pub mod scenario;
pub mod stall;
mod thread_clock;
pub mod urls;
pub mod workload;

pub use thread_clock::thread_cpu_time;
