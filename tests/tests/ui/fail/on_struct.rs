use oneloop_runtime::oneloop;

#[oneloop(scope = "profile", read)]
struct Profile {
    name: String,
}

fn main() {
    let profile = Profile {
        name: "Ada".to_owned(),
    };
    println!("{}", profile.name);
}
