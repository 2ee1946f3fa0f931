# Sourced by build.sh. Image `secrets`: app + a layer of planted credentials + a layer deleting one of
# them, run as root (no USER) with a credential in ENV. Every credential is GENERATED here, at build
# time (openssl, ssh-keygen, random tokens in the published formats), never a real one. What was
# planted, where, and the values themselves (so tests can grep every output for them) go to
# planted-secrets.json (beside expected/).

UPPER=ABCDEFGHIJKLMNOPQRSTUVWXYZ
LOWER=abcdefghijklmnopqrstuvwxyz
DIGITS=0123456789

random_chars() { # alphabet length (node's CSPRNG: a `tr </dev/urandom | head` pipe dies of SIGPIPE)
  node -e '
    const { randomInt } = require("node:crypto");
    const [alphabet, length] = process.argv.slice(1);
    process.stdout.write(Array.from({ length: Number(length) }, () => alphabet[randomInt(alphabet.length)]).join(""));
  ' "$1" "$2"
}

# A token in GitHub's checksummed format: prefix + 30 random base62 + base62 CRC32 of those 30.
github_token() {
  node -e '
    const { crc32 } = require("node:zlib");
    const { randomInt } = require("node:crypto");
    const A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const random = Array.from({ length: 30 }, () => A[randomInt(62)]).join("");
    let n = crc32(random), sum = "";
    do { sum = A[n % 62] + sum; n = Math.floor(n / 62); } while (n > 0);
    process.stdout.write(process.argv[1] + random + sum.padStart(6, "0"));
  ' "$1"
}

image_secrets() {
  local dir=$WORK/secrets-layer aws_id aws_secret gh_token env_password
  rm -rf "$dir" && mkdir -p "$dir/etc/ssl/private" "$dir/root/.ssh" "$dir/root/.aws" "$dir/app"
  openssl genrsa -out "$dir/etc/ssl/private/service.key" 2048 2>/dev/null
  ssh-keygen -q -t ed25519 -N '' -C customs-e2e-planted -f "$dir/root/.ssh/id_ed25519"
  aws_id=AKIA$(random_chars "${UPPER}234567" 16)
  aws_secret=$(random_chars "$UPPER$LOWER$DIGITS/+" 40)
  printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$aws_id" "$aws_secret" >"$dir/root/.aws/credentials"
  gh_token=$(github_token ghp_)
  printf 'NODE_ENV=production\nGITHUB_TOKEN=%s\n' "$gh_token" >"$dir/app/.env"
  env_password=$(random_chars "$UPPER$LOWER$DIGITS" 24)

  umoci tag --image "$LAYOUT:app" secrets
  tar --sort=name --numeric-owner --owner=0 --group=0 -C "$dir" -cf "$WORK/secrets-layer.tar" etc root app
  umoci raw add-layer --image "$LAYOUT:secrets" --history.created_by "COPY planted-secrets / # generated" \
    "$WORK/secrets-layer.tar"
  mkdir -p "$WORK/delete-layer/etc/ssl/private"
  : >"$WORK/delete-layer/etc/ssl/private/.wh.service.key"
  tar --sort=name --numeric-owner --owner=0 --group=0 -C "$WORK/delete-layer" -cf "$WORK/delete-layer.tar" etc
  umoci raw add-layer --image "$LAYOUT:secrets" --history.created_by "RUN rm /etc/ssl/private/service.key" \
    "$WORK/delete-layer.tar"
  # No history entry: the ENV value must be found in the config, not read back from created_by.
  umoci config --image "$LAYOUT:secrets" --no-history --config.env "DATABASE_PASSWORD=$env_password"

  PLANTED_DIR=$dir AWS_ID=$aws_id AWS_SECRET=$aws_secret GH_TOKEN=$gh_token ENV_PASSWORD=$env_password \
    node "$HERE/planted-manifest.mjs" >"$OUT/planted-secrets.json"
  rm -rf "$dir" "$WORK/delete-layer" "$WORK/secrets-layer.tar" "$WORK/delete-layer.tar"
}
