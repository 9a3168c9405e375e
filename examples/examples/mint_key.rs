//! Mints a key for the embedded store and prints its secret and its key-file entry.
//!
//! ```text
//! cargo run --example mint_key -- profile:read,update billing:read --id key_alice --customer cust_alice
//! ```
//!
//! Append the printed `[[keys]]` table to your key file and hand the secret to the customer. The
//! file holds only the SHA-256 digest, so the secret cannot be recovered from it.

use oneloop_runtime::{GrantedScope, LocalKey, MintedKey, Permissions};

const USAGE: &str = "usage: mint_key SCOPE:FLAG[,FLAG...]... [--id ID] [--customer CUSTOMER]
  SCOPE:FLAGS  a scope and its flags, such as profile:read,update (flags: read, create, update, delete)
  --id         the key's id (default: key_ followed by 8 random hex digits)
  --customer   the customer id";

fn main() {
    match run(std::env::args().skip(1).collect()) {
        Ok(minted) => {
            println!(
                "secret (shown once; give it to the caller):\n  {}\n",
                minted.secret()
            );
            println!("key file entry:\n{}", minted.to_toml());
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            std::process::exit(2);
        }
    }
}

fn run(args: Vec<String>) -> Result<MintedKey, String> {
    let mut id = None;
    let mut customer = None;
    let mut scopes = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--id" => id = Some(args.next().ok_or("--id needs a value")?),
            "--customer" => customer = Some(args.next().ok_or("--customer needs a value")?),
            "-h" | "--help" => return Err("help requested".to_owned()),
            _ => scopes.push(parse_scope(&arg)?),
        }
    }
    let id = id.unwrap_or_else(|| format!("key_{:08x}", std::process::id() ^ nanos()));
    MintedKey::generate(id, |mut key: LocalKey| {
        key.scopes = scopes;
        key.customer_id = customer;
        key
    })
    .map_err(|error| format!("failed to read random bytes: {error}"))
}

fn parse_scope(arg: &str) -> Result<GrantedScope, String> {
    let (name, flags) = arg
        .split_once(':')
        .ok_or_else(|| format!("invalid scope {arg:?}: expected SCOPE:FLAG[,FLAG...]"))?;
    let mut permissions = Permissions::NONE;
    for flag in flags.split(',') {
        permissions = permissions
            | match flag {
                "read" => Permissions::READ,
                "create" => Permissions::CREATE,
                "update" => Permissions::UPDATE,
                "delete" => Permissions::DELETE,
                other => return Err(format!("unknown flag {other:?} in {arg:?}")),
            };
    }
    Ok(GrantedScope::new(name, permissions))
}

fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.subsec_nanos())
}
