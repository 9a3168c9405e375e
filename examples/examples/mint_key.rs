//! Mints a key for the embedded store and prints its secret and its key-file entry.
//!
//! ```text
//! cargo run --example mint_key -- profile:read,update billing:read --id key_alice --customer cust_alice
//! ```
//!
//! Append the printed `[[keys]]` table to your key file and hand the secret to the customer. The
//! file holds only the SHA-256 digest, so the secret cannot be recovered from it.

use std::process::ExitCode;

use oneloop_runtime::{GrantedScope, LocalKey, LocalVerifier, MintedKey, Permissions};

const USAGE: &str = "usage: mint_key SCOPE:FLAG[,FLAG...]... [--id ID] [--customer CUSTOMER]
  SCOPE:FLAGS  a scope and its flags, such as profile:read,update (flags: read, create, update, delete)
  --id         the key's id (default: key_ followed by 8 random hex digits)
  --customer   the customer id";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(args) {
        Ok(minted) => {
            if minted.key().scopes.is_empty() {
                eprintln!(
                    "note: the key holds no scopes, so it passes only handlers with a bare \
                     #[oneloop]"
                );
            }
            println!(
                "secret (shown once; give it to the caller):\n  {}\n",
                minted.secret()
            );
            println!("key file entry:\n{}", minted.to_toml());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
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
            _ => scopes.push(parse_scope(&arg)?),
        }
    }
    let id = id.unwrap_or_else(|| format!("key_{:08x}", std::process::id() ^ nanos()));
    let minted = MintedKey::generate(id, |mut key: LocalKey| {
        key.scopes = scopes;
        key.customer_id = customer;
        key
    })
    .map_err(|error| format!("failed to read random bytes: {error}"))?;
    // Print only an entry the key file loader accepts, because the secret is shown only once.
    LocalVerifier::from_toml(&minted.to_toml()).map_err(|error| error.message().to_owned())?;
    Ok(minted)
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
