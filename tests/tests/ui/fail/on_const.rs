use oneloop_runtime::oneloop;

#[oneloop(scope = "profile", read)]
const PROFILE: &str = "profile";

fn main() {
    println!("{PROFILE}");
}
