//! The profile API of exercise 02: three endpoints that each take a while.
//!
//! A profile page needs a user, their posts and their friends. Each comes
//! from its own endpoint, and each endpoint mostly *waits* (for the network,
//! for a database), so the three fetches are perfect candidates for
//! concurrency: start all three, wait once.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use lab::profile::ProfileApi;
//! let api = ProfileApi::demo();
//! let user = api.user(api.user_id()).await.unwrap();
//! assert_eq!(user.id, api.user_id());
//! # }
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::io::Recorder;

/// Identifies a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub u64);

/// A user, as the `user` and `friends` endpoints return them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// The name shown on the page.
    pub name: String,
}

/// One post by a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The post's id.
    pub id: u64,
    /// Its title.
    pub title: String,
}

/// Everything the profile page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Whose page it is.
    pub user: User,
    /// Their posts.
    pub posts: Vec<Post>,
    /// Their friends.
    pub friends: Vec<User>,
}

/// The three endpoints of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /users/{id}`
    User,
    /// `GET /users/{id}/posts`
    Posts,
    /// `GET /users/{id}/friends`
    Friends,
}

impl Endpoint {
    /// All endpoints, in the order the page lists them.
    pub const ALL: [Endpoint; 3] = [Endpoint::User, Endpoint::Posts, Endpoint::Friends];

    /// The endpoint's short name, as the recorder logs it.
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::User => "user",
            Endpoint::Posts => "posts",
            Endpoint::Friends => "friends",
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    /// The endpoint that failed.
    pub endpoint: Endpoint,
    /// What the server said.
    pub message: String,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.endpoint.name(), self.message)
    }
}

impl std::error::Error for FetchError {}

#[derive(Debug, Clone, Copy)]
struct Behaviour {
    latency: Duration,
    fails: bool,
}

#[derive(Debug)]
struct Inner {
    recorder: Recorder,
    profile: Profile,
    behaviour: [Behaviour; 3],
}

/// A simulated profile API. Clones share the same server and recorder, and
/// the API may be used from any thread.
#[derive(Debug, Clone)]
pub struct ProfileApi {
    inner: Arc<Inner>,
}

impl ProfileApi {
    /// An API that serves `profile`, logging every call to `recorder`.
    /// Latencies start at 100, 200 and 300 ms for user, posts and friends.
    pub fn new(recorder: Recorder, profile: Profile) -> Self {
        let ms = |n| Behaviour {
            latency: Duration::from_millis(n),
            fails: false,
        };
        ProfileApi {
            inner: Arc::new(Inner {
                recorder,
                profile,
                behaviour: [ms(100), ms(200), ms(300)],
            }),
        }
    }

    /// A small API to try your code on: user 7, Ada, with two posts and two
    /// friends, and latencies of 100, 200 and 300 ms.
    pub fn demo() -> Self {
        let user = |id, name: &str| User {
            id: UserId(id),
            name: name.to_string(),
        };
        let post = |id, title: &str| Post {
            id,
            title: title.to_string(),
        };
        Self::new(
            Recorder::new(),
            Profile {
                user: user(7, "Ada"),
                posts: vec![post(1, "Notes on the engine"), post(2, "On loops")],
                friends: vec![user(8, "Charles"), user(9, "Mary")],
            },
        )
    }

    /// Sets how long `endpoint` takes to answer.
    pub fn with_latency(self, endpoint: Endpoint, latency: Duration) -> Self {
        self.configure(endpoint, |b| b.latency = latency)
    }

    /// Makes `endpoint` answer with an error (after its latency).
    pub fn failing(self, endpoint: Endpoint) -> Self {
        self.configure(endpoint, |b| b.fails = true)
    }

    fn configure(self, endpoint: Endpoint, change: impl FnOnce(&mut Behaviour)) -> Self {
        let mut inner = Arc::try_unwrap(self.inner).unwrap_or_else(|shared| Inner {
            recorder: shared.recorder.clone(),
            profile: shared.profile.clone(),
            behaviour: shared.behaviour,
        });
        change(&mut inner.behaviour[endpoint as usize]);
        ProfileApi {
            inner: Arc::new(inner),
        }
    }

    /// The id of the user this API knows.
    pub fn user_id(&self) -> UserId {
        self.inner.profile.user.id
    }

    /// The recorder that logs this API's calls.
    pub fn recorder(&self) -> &Recorder {
        &self.inner.recorder
    }

    /// Fetches a user. Waits, like a real request, then answers.
    pub async fn user(&self, id: UserId) -> Result<User, FetchError> {
        self.call(Endpoint::User, id).await?;
        Ok(self.inner.profile.user.clone())
    }

    /// Fetches a user's posts.
    pub async fn posts(&self, id: UserId) -> Result<Vec<Post>, FetchError> {
        self.call(Endpoint::Posts, id).await?;
        Ok(self.inner.profile.posts.clone())
    }

    /// Fetches a user's friends.
    pub async fn friends(&self, id: UserId) -> Result<Vec<User>, FetchError> {
        self.call(Endpoint::Friends, id).await?;
        Ok(self.inner.profile.friends.clone())
    }

    async fn call(&self, endpoint: Endpoint, id: UserId) -> Result<(), FetchError> {
        let behaviour = self.inner.behaviour[endpoint as usize];
        self.inner
            .recorder
            .wait(endpoint.name(), behaviour.latency)
            .await;
        let error = |message: String| FetchError { endpoint, message };
        if id != self.user_id() {
            return Err(error(format!("no user with id {}", id.0)));
        }
        if behaviour.fails {
            return Err(error("503 service unavailable".to_string()));
        }
        Ok(())
    }
}
