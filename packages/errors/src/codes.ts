/**
 * Where a code belongs: the library or service that owns its meaning. Docs group codes by area, and a
 * library's own code list (`layerErrorCodes`, …) is the codes of its area.
 */
export type ErrorArea =
  | 'general'
  | 'config'
  | 'db'
  | 'oci'
  | 'layers'
  | 'inventory'
  | 'indexer'
  | 'versions'
  | 'vulndb'
  | 'policy'
  | 'report'
  | 'queue'
  | 'store'
  | 'scans'
  | 'attestations'
  | 'api'
  | 'webhook'
  | 'notifications'
  | 'cli';

export interface ErrorCodeDeclaration {
  area: ErrorArea;
  /**
   * True when the same operation may succeed later with nothing changed (an outage, a cancelled run):
   * the worker retries it with backoff. False when every try gets the same answer until someone
   * changes the input, the configuration or Customs itself: the worker fails the scan at once.
   */
  retryable: boolean;
  /** What happened, in one line. */
  summary: string;
  /** What a user or operator does about it, in one line. */
  action: string;
}

/**
 * Every code a CustomsError can carry, declared once. Codes are API: stable, in the contract's
 * ErrorCode enum and in docs/errors.md (tests hold all three equal). A new error needs an entry here
 * first; `new CustomsError('UNDECLARED', …)` does not compile.
 */
export const errorCodes = {
  // general
  INVALID_OPTION: {
    area: 'general',
    retryable: false,
    summary: 'A caller passed an option that cannot work; raised at construction, before any I/O.',
    action: 'Fix the option or flag the message names; in a service this is a bug, report it.',
  },
  INVALID_INPUT: {
    area: 'general',
    retryable: false,
    summary: 'Input the user gave (an argument, a file) is not something Customs can work with.',
    action: 'Fix the input the message names.',
  },
  INTERNAL: {
    area: 'general',
    retryable: true,
    summary:
      'A failure Customs did not raise on purpose (a bug, an unwrapped driver error); retried in case its cause passes.',
    action: 'Read the service log for the full error; if it repeats, report it as a bug.',
  },

  // config
  SERVICE_CONFIG_INVALID: {
    area: 'config',
    retryable: false,
    summary: 'The service configuration file or environment does not match its schema.',
    action: 'Fix the settings the message lists; see docs/configuration.md.',
  },

  // db
  DB_UNAVAILABLE: {
    area: 'db',
    retryable: true,
    summary: 'PostgreSQL could not be reached or refused the connection.',
    action: 'Check that PostgreSQL is running and that DATABASE_URL is right; work resumes once it answers.',
  },
  DB_LOCKED: {
    area: 'db',
    retryable: true,
    summary: 'Another process has the embedded database directory open.',
    action: 'Wait for that process to finish, or pass --db-dir to use another directory.',
  },
  DB_SCHEMA_NEWER: {
    area: 'db',
    retryable: false,
    summary: 'The database was migrated by a newer Customs than this one.',
    action: 'Upgrade Customs, or point it at another database.',
  },
  DB_MIGRATION_FAILED: {
    area: 'db',
    retryable: false,
    summary: 'A schema migration failed; nothing of it was applied.',
    action: 'Report it as a bug with the message; the database is as it was before the migration.',
  },
  DB_OPEN_FAILED: {
    area: 'db',
    retryable: false,
    summary: 'The embedded database directory exists but cannot be opened.',
    action: 'Move the directory away and import the vulnerability data again.',
  },
  DB_SERVER_CONTROL_INVALID: {
    area: 'db',
    retryable: false,
    summary: 'The control file a running customs serve left in its data directory cannot be read.',
    action: 'Stop customs serve and start it again; it writes the file anew.',
  },

  // oci: references, registries, manifests, blobs, local images
  INVALID_REFERENCE: {
    area: 'oci',
    retryable: false,
    summary: 'An image reference that is not [registry/]repository[:tag][@digest].',
    action: 'Write the reference as docker pull reads it, e.g. registry.example.com/team/app:1.4.2.',
  },
  INVALID_TARGET: {
    area: 'oci',
    retryable: false,
    summary: 'A scan target that is neither a reference nor a readable archive, layout or directory.',
    action: 'Pass an image reference, a docker save or OCI archive, an OCI layout or a root filesystem.',
  },
  REGISTRY_AUTH_FAILED: {
    area: 'oci',
    retryable: false,
    summary: 'The registry refused the credentials, or the repository does not exist.',
    action: 'Check the registry credentials and the repository name.',
  },
  REGISTRY_UNAVAILABLE: {
    area: 'oci',
    retryable: true,
    summary: 'The registry did not answer, or answered 5xx/429, on every attempt.',
    action: 'Check that the registry is reachable; the worker retries by itself.',
  },
  REGISTRY_REQUEST_FAILED: {
    area: 'oci',
    retryable: false,
    summary: 'The registry answered in a way the distribution protocol does not allow here.',
    action: 'Check the registry (or a proxy in front of it) against the OCI distribution spec.',
  },
  MANIFEST_NOT_FOUND: {
    area: 'oci',
    retryable: false,
    summary: 'The registry has no manifest for this tag or digest.',
    action: 'Check the repository name and the tag or digest.',
  },
  BLOB_NOT_FOUND: {
    area: 'oci',
    retryable: false,
    summary: 'A layer or config blob the manifest names is missing from the registry or archive.',
    action: 'Push the image again; the registry or archive lost a blob.',
  },
  MANIFEST_DIGEST_MISMATCH: {
    area: 'oci',
    retryable: false,
    summary: 'A manifest does not hash to the digest it was fetched by.',
    action: 'Treat the registry content as damaged or tampered with; push the image again.',
  },
  MANIFEST_INVALID: {
    area: 'oci',
    retryable: false,
    summary: 'A manifest or index that is not valid JSON of its media type.',
    action: 'Rebuild and push the image with a standard tool.',
  },
  UNSUPPORTED_MANIFEST: {
    area: 'oci',
    retryable: false,
    summary:
      'A manifest of a kind Customs does not read (schema 1, a Helm chart or another non-image artifact).',
    action: 'Scan OCI or Docker schema 2 images and indexes only.',
  },
  NOT_AN_IMAGE: {
    area: 'oci',
    retryable: false,
    summary:
      'The digest is an OCI artifact (an SBOM, a signature, an attestation, a VEX document), not a container image.',
    action: 'Nothing to do: artifacts have no packages; the service records them without a failure notice.',
  },
  IMAGE_CONFIG_INVALID: {
    area: 'oci',
    retryable: false,
    summary: "The image's config blob is not a valid image configuration.",
    action: 'Rebuild and push the image with a standard tool.',
  },
  PLATFORM_NOT_FOUND: {
    area: 'oci',
    retryable: false,
    summary: 'The index has no image for the requested platform.',
    action: 'Choose one of the platforms the message lists.',
  },
  BLOB_DIGEST_MISMATCH: {
    area: 'oci',
    retryable: false,
    summary: 'A blob does not hash to its digest; nothing of it was used.',
    action: 'Treat the content as damaged or tampered with; push the image again.',
  },
  BLOB_SIZE_MISMATCH: {
    area: 'oci',
    retryable: false,
    summary: 'A blob is not the size its descriptor says; nothing of it was used.',
    action: 'Treat the content as truncated or altered; push the image again.',
  },
  BLOB_TRANSFER_INTERRUPTED: {
    area: 'oci',
    retryable: true,
    summary: 'A blob download broke off and could not be resumed.',
    action: 'Check the network to the registry; the worker retries by itself.',
  },
  DIGEST_INVALID: {
    area: 'oci',
    retryable: false,
    summary: 'A digest that is not sha256 or sha512 in lowercase hex.',
    action: 'Use sha256:<64 hex digits> or sha512:<128 hex digits>.',
  },
  LAYER_NOT_IN_IMAGE: {
    area: 'oci',
    retryable: false,
    summary: "A layer was asked for that is not one of the image's layers.",
    action: 'Report it as a bug: Customs only asks for layers its manifest lists.',
  },
  OCI_LAYOUT_INVALID: {
    area: 'oci',
    retryable: false,
    summary: 'A directory or archive that is not a valid OCI image layout.',
    action: 'Write the layout again with a standard tool (skopeo, crane, buildx).',
  },
  IMAGE_TAG_NOT_FOUND: {
    area: 'oci',
    retryable: false,
    summary: 'No image of that name in the archive or layout.',
    action: 'Name one of the images the message lists.',
  },
  IMAGE_AMBIGUOUS: {
    area: 'oci',
    retryable: false,
    summary: 'The archive or layout holds several images and none was named.',
    action: 'Name one of the images the message lists, as <file>:<name>.',
  },
  ARCHIVE_INVALID: {
    area: 'oci',
    retryable: false,
    summary: 'A file that is not a readable docker save or OCI archive.',
    action: 'Write the archive again (docker save, skopeo copy oci-archive:).',
  },
  ARCHIVE_COMPRESSED: {
    area: 'oci',
    retryable: false,
    summary: 'An image archive that is compressed as a whole.',
    action: 'Decompress it first (e.g. gunzip -k) and scan the .tar.',
  },

  // layers
  LAYER_CORRUPT: {
    area: 'layers',
    retryable: false,
    summary: 'A layer that cannot be decompressed or is not a tar archive.',
    action: 'Push the image again, or report the damaged layer to its publisher.',
  },
  LAYER_TRUNCATED: {
    area: 'layers',
    retryable: false,
    summary: 'A layer whose tar stops before an entry is complete.',
    action: 'Rebuild the image with another tool.',
  },
  LAYER_TOO_LARGE: {
    area: 'layers',
    retryable: false,
    summary: 'A layer that decompresses past the size limit (a likely decompression bomb).',
    action: 'If the layer is genuine, raise limits.maxLayerBytes.',
  },
  LAYER_TOO_MANY_ENTRIES: {
    area: 'layers',
    retryable: false,
    summary: 'A layer with more entries than the limit.',
    action: 'If the layer is genuine, raise limits.maxEntries.',
  },
  LAYER_KEEPS_TOO_MUCH: {
    area: 'layers',
    retryable: false,
    summary: 'The files analyzers asked for add up to more than the limit.',
    action: 'Raise limits.maxKeptBytes, or narrow what the analyzer requires.',
  },
  LAYER_DIFFID_MISMATCH: {
    area: 'layers',
    retryable: false,
    summary: 'An uncompressed layer does not hash to the diff id the image config names.',
    action: 'Treat the image as damaged or tampered with; push it again.',
  },
  LAYER_UNSUPPORTED: {
    area: 'layers',
    retryable: false,
    summary: 'A well-formed layer that needs more memory than one scan may use (a very large zstd window).',
    action: 'Recompress the layer with a smaller window (no --long above 27).',
  },
  LAYER_SCAN_ABORTED: {
    area: 'layers',
    retryable: true,
    summary: 'A layer scan was cancelled (shutdown, timeout) before it finished.',
    action: 'Nothing: the worker scans the layer again on its next attempt.',
  },
  ROOTFS_UNREADABLE: {
    area: 'layers',
    retryable: false,
    summary: 'A root filesystem directory that cannot be read.',
    action: 'Pass a directory holding an unpacked root filesystem that this user can read.',
  },
  FILE_TOO_LARGE: {
    area: 'layers',
    retryable: false,
    summary:
      'A package database, lockfile or manifest an analyzer needs is too big to read: the scan is incomplete.',
    action: 'Find out why the file is that big: padding one hides its packages. See policy.incompleteScan.',
  },
  FILE_UNREADABLE: {
    area: 'layers',
    retryable: false,
    summary:
      'A file an analyzer needs could not be read (a dangling hard link, no permission): the scan is incomplete.',
    action: 'Rebuild the image so the file is a regular readable file, or scan as a user who can read it.',
  },

  // indexer
  LAYER_SCAN_FAILED: {
    area: 'indexer',
    retryable: true,
    summary: 'An error Customs does not know ended the analysis of a layer; retried in case it passes.',
    action: 'Read the message and the worker log; if it repeats, report it as a bug.',
  },

  ANALYZER_FAILED: {
    area: 'indexer',
    retryable: false,
    summary:
      'An analyzer failed on the files it needs in a layer, so their packages are missing: the scan is incomplete.',
    action: 'Read the message for the file and the failure; if the file is sound, report it as a bug.',
  },

  // inventory: files an analyzer skips (the scan goes on without them)
  COMPLETENESS_UNKNOWN: {
    area: 'inventory',
    retryable: false,
    summary:
      'Stored before Customs recorded unread files, so the inventory may lack packages; judged as policy.incompleteScan says.',
    action: 'Scan the image again.',
  },
  OS_UNIDENTIFIED: {
    area: 'inventory',
    retryable: false,
    summary:
      'OS packages were found but no os-release file names their distribution: the scan is incomplete.',
    action: 'Keep /etc/os-release (or /usr/lib/os-release) in the image, or report the distribution to us.',
  },
  ELF_MALFORMED: {
    area: 'inventory',
    retryable: false,
    summary: 'A file that starts like an ELF executable but whose headers are truncated or inconsistent.',
    action: 'Nothing to do for the scan; the binary is left out of the inventory.',
  },
  GO_BUILDINFO_UNREADABLE: {
    area: 'inventory',
    retryable: false,
    summary: "A Go binary's build information cannot be read.",
    action: "Nothing to do for the scan; the binary's Go modules are missing from the inventory.",
  },
  RPMDB_INVALID: {
    area: 'inventory',
    retryable: false,
    summary: 'An rpm database or header blob without the structure its format requires.',
    action: 'Run rpm --rebuilddb in the image and rebuild it.',
  },
  NPM_FILE_INVALID: {
    area: 'inventory',
    retryable: false,
    summary: 'An npm, yarn or pnpm file that cannot be read as its format.',
    action: 'Check that the file is not truncated or hand-edited; its packages are missing meanwhile.',
  },
  PYTHON_FILE_INVALID: {
    area: 'inventory',
    retryable: false,
    summary: 'A Python metadata file or lockfile that cannot be read as its format.',
    action: 'Check that the file is not truncated or hand-edited; its packages are missing meanwhile.',
  },
  JAVA_FILE_INVALID: {
    area: 'inventory',
    retryable: false,
    summary: 'A Java archive or Gradle lockfile that cannot be read.',
    action: 'Check that the file is not truncated; its Maven packages are missing meanwhile.',
  },
  NUGET_FILE_INVALID: {
    area: 'inventory',
    retryable: false,
    summary: 'A .deps.json or packages.lock.json that cannot be read.',
    action: 'Check that the file is not truncated; its NuGet packages are missing meanwhile.',
  },
  COMPOSER_FILE_INVALID: {
    area: 'inventory',
    retryable: false,
    summary: 'A composer.lock or installed.json that cannot be read.',
    action: 'Check that the file is not truncated; its PHP packages are missing meanwhile.',
  },
  RUBY_FILE_INVALID: {
    area: 'inventory',
    retryable: false,
    summary: 'A gemspec or Gemfile.lock that cannot be read.',
    action: 'Check that the file is not truncated or hand-edited; its gems are missing meanwhile.',
  },
  CARGO_FILE_INVALID: {
    area: 'inventory',
    retryable: false,
    summary: "A Cargo.lock or a binary's cargo-auditable section that cannot be read.",
    action: 'Check that the file is not truncated; its crates are missing meanwhile.',
  },
  PACKAGE_FILE_UNPARSEABLE: {
    area: 'inventory',
    retryable: false,
    summary: 'A package manifest or lockfile failed to parse in a way its parser did not anticipate.',
    action:
      'Nothing to do for the scan; the file is named in the warnings. Report it with the file if it is valid.',
  },

  // versions
  INVALID_VERSION: {
    area: 'versions',
    retryable: false,
    summary: "A version string the ecosystem's scheme cannot order; never guessed lower or higher.",
    action: 'Check that the advisory and the package come from the same ecosystem.',
  },
  INVALID_RANGE: {
    area: 'versions',
    retryable: false,
    summary: 'A version range expression that cannot be read.',
    action: 'Use the ecosystem range syntax, e.g. ">=1.2.3 <2" for npm.',
  },
  UNKNOWN_ECOSYSTEM: {
    area: 'versions',
    retryable: false,
    summary: 'An ecosystem name with no version scheme behind it.',
    action: 'Use one of the OSV ecosystem names the message lists.',
  },
  VERSION_SCHEME_MISMATCH: {
    area: 'versions',
    retryable: false,
    summary: 'A version parsed by one scheme was compared by another.',
    action: 'Report it as a bug: each version must be parsed by the scheme that compares it.',
  },

  // vulndb
  SOURCE_UNREADABLE: {
    area: 'vulndb',
    retryable: false,
    summary: 'The advisory source (directory, zip, object store) cannot be read at all.',
    action: 'Check the path or URL: a directory of OSV records, an OSV all.zip or an s3:// prefix.',
  },
  SOURCE_UNSUPPORTED: {
    area: 'vulndb',
    retryable: false,
    summary: 'An advisory source of a kind import does not take.',
    action: 'Give a directory, a .zip file, an https:// URL of a zip, or s3://bucket/prefix.',
  },
  DOWNLOAD_FAILED: {
    area: 'vulndb',
    retryable: true,
    summary: 'An advisory download failed after its retries.',
    action: 'Check the URL and the network, then run the import again.',
  },
  IMPORT_ABORTED: {
    area: 'vulndb',
    retryable: true,
    summary: 'An advisory import was cancelled; what was committed before stays.',
    action: 'Run the import again to finish it.',
  },
  UPDATE_FAILED: {
    area: 'vulndb',
    retryable: true,
    summary: 'A vulnerability data update failed; the previous data version is still the one served.',
    action: 'Check the source named (network, mirror, CA), then run customs db update again.',
  },
  BUNDLE_INVALID: {
    area: 'vulndb',
    retryable: false,
    summary: 'A vulnerability database bundle is not one Customs wrote, or its checksums do not match.',
    action: 'Export the bundle again with customs db export (or pull it again) and import that copy.',
  },

  // policy
  POLICY_INVALID: {
    area: 'policy',
    retryable: false,
    summary: 'The verdict policy cannot be applied as written.',
    action: 'Fix the policy entry the message names.',
  },
  VEX_INVALID: {
    area: 'policy',
    retryable: false,
    summary:
      'A VEX document is not valid OpenVEX 0.2.0 (the official JSON schema refuses it, or it is not JSON).',
    action: 'Fix the document where the message points (e.g. with vexctl) and import it again.',
  },
  VEX_DOCUMENT_NOT_FOUND: {
    area: 'policy',
    retryable: false,
    summary: 'No imported VEX document has this id.',
    action: 'List the imported documents with GET /v1/vex and use one of their ids.',
  },

  // report
  SEVERITY_INVALID: {
    area: 'report',
    retryable: false,
    summary: 'A severity filter names something that is not a severity.',
    action: 'Use CRITICAL, HIGH, MEDIUM, LOW, NEGLIGIBLE or UNKNOWN.',
  },
  REPORT_FORMAT_UNSUPPORTED: {
    area: 'report',
    retryable: false,
    summary: 'A report format Customs does not write.',
    action: 'Use one of the formats the message lists.',
  },

  // queue
  QUEUE_UNAVAILABLE: {
    area: 'queue',
    retryable: true,
    summary: 'Redis did not answer, so a job could not be queued or read.',
    action: 'Check REDIS_URL and that Redis is running; senders and clients may try again later.',
  },
  JOB_PAYLOAD_INVALID: {
    area: 'queue',
    retryable: false,
    summary: 'A queued job whose data the worker cannot read.',
    action: 'Run the same Customs version for every service; upgrade them together.',
  },

  // store
  LAYER_LEASE_ABORTED: {
    area: 'store',
    retryable: true,
    summary: 'The worker stopped waiting for another worker that was analysing the same layer.',
    action: 'Nothing: the worker tries the scan again.',
  },
  INVALID_TOKEN_SCOPE: {
    area: 'store',
    retryable: false,
    summary: 'A token scope that does not exist.',
    action: 'Use verdicts:read, scans:write or admin.',
  },
  INVALID_TOKEN_FORMAT: {
    area: 'store',
    retryable: false,
    summary: 'An API token that does not start with cst_ and hold at least 32 random characters.',
    action: 'Make one with: echo cst_$(openssl rand -hex 24).',
  },

  // scans: requesting and running scans (API, webhook and worker alike)
  REGISTRY_NOT_CONFIGURED: {
    area: 'scans',
    retryable: false,
    summary: 'An image on a registry the service is not configured for; nothing was requested from it.',
    action: 'Add the registry to `registries` in the service configuration, then scan again.',
  },
  SCAN_NOT_FOUND: {
    area: 'scans',
    retryable: false,
    summary: 'No scan has this id.',
    action: 'Use the id a scan request answered, or request the scan again.',
  },
  TAG_RESOLUTION_FAILED: {
    area: 'scans',
    retryable: true,
    summary: 'A tag could not be resolved to a digest at its registry.',
    action:
      'Check that the registry is up, its credentials are right and the tag exists; or send the digest.',
  },

  // attestations: signing and pushing scan results as referrers
  SIGNING_KEY_UNREADABLE: {
    area: 'attestations',
    retryable: false,
    summary: 'The attestation signing key file cannot be read, or its environment variable is not set.',
    action: 'Point attestations.signingKey (or --signing-key) at a readable PEM file or a set variable.',
  },
  SIGNING_KEY_INVALID: {
    area: 'attestations',
    retryable: false,
    summary:
      'The signing key is not an unencrypted PEM private key of a supported kind (ECDSA P-256, Ed25519).',
    action: 'Make one with: openssl genpkey -algorithm ed25519 (or EC -pkeyopt ec_paramgen_curve:P-256).',
  },
  // the registry client's referrers (read by attestations and VEX alike)
  REFERRERS_INDEX_INVALID: {
    area: 'oci',
    retryable: false,
    summary: "The image's referrers (API answer or sha256-<hex> fallback tag) are not an OCI image index.",
    action:
      'Check what was pushed to the sha256-<hex> tag of the repository; delete it if it is not an index.',
  },

  // api
  UNAUTHENTICATED: {
    area: 'api',
    retryable: false,
    summary: 'A request without valid credentials (an API token, a webhook secret or signature).',
    action: 'Send Authorization: Bearer <token>, or fix the webhook secret at the sender.',
  },
  TOKEN_SCOPE_MISSING: {
    area: 'api',
    retryable: false,
    summary: "The API token does not have the operation's scope.",
    action: 'Ask an admin for a token with the scope the message names.',
  },
  TOKEN_REPOSITORY_FORBIDDEN: {
    area: 'api',
    retryable: false,
    summary: 'The API token is limited to repositories this image (or scan) is not in.',
    action: 'Use a token for the repository the message names, or ask an admin to widen the token.',
  },
  IMPORT_SOURCE_FORBIDDEN: {
    area: 'api',
    retryable: false,
    summary: 'Importing a local path through the API needs the local control credential of customs serve.',
    action: 'Run customs db import on the server machine, or import from an https:// URL or s3:// prefix.',
  },
  REQUEST_INVALID: {
    area: 'api',
    retryable: false,
    summary: 'A request that does not match what the operation takes (path, query, body, size).',
    action: 'See /openapi.yaml for what the operation takes.',
  },
  ROUTE_NOT_FOUND: {
    area: 'api',
    retryable: false,
    summary: 'No operation at this method and path.',
    action: 'See /docs for every operation.',
  },
  IMAGE_NOT_FOUND: {
    area: 'api',
    retryable: false,
    summary: 'Customs has no inventory for this image.',
    action: 'Request a scan with POST /v1/scans, or push the image to a registry whose webhook is set up.',
  },
  IMAGE_IS_INDEX: {
    area: 'api',
    retryable: false,
    summary: 'The digest is an index of platform manifests; this operation needs one manifest.',
    action: 'Ask again for one of the platform digests the message lists.',
  },
  SCAN_PENDING: {
    area: 'api',
    retryable: true,
    summary: 'The image is not scanned yet; its scan is queued or running.',
    action: 'Ask again after Retry-After seconds, or poll the scan.',
  },
  SCAN_FAILED: {
    area: 'api',
    retryable: false,
    summary: "The image's last scan failed; the message carries that scan's error.",
    action: "Fix the cause the scan's error names, then request a scan again.",
  },
  REPORT_INCOMPLETE: {
    area: 'api',
    retryable: false,
    summary:
      'The scan could not read files it needed, so a vulnerability report would look cleaner than the image is.',
    action: 'Fix the cause each unread file names (often a size limit), then scan the image again.',
  },
  TOKEN_NOT_FOUND: {
    area: 'api',
    retryable: false,
    summary: 'No token has this id, or it is already revoked.',
    action: 'GET /v1/tokens lists every token with its id.',
  },

  // webhook
  WEBHOOK_PAYLOAD_INVALID: {
    area: 'webhook',
    retryable: false,
    summary: "A webhook body that is not the sender's format (not JSON, no events).",
    action: 'Check that the sender posts to the route of its own kind (/webhooks/<source>).',
  },
  WEBHOOK_RATE_LIMITED: {
    area: 'webhook',
    retryable: true,
    summary: 'Too many unauthenticated webhook requests from one address this minute.',
    action: "Fix the sender's secret or signature; webhook.refusedPerMinute sets the limit.",
  },

  // notifications: subscriptions and outbound deliveries
  SUBSCRIPTION_NOT_FOUND: {
    area: 'notifications',
    retryable: false,
    summary: 'No notification subscription has this id, or it was deleted.',
    action: 'GET /v1/subscriptions lists every subscription with its id.',
  },
  SUBSCRIPTION_INVALID: {
    area: 'notifications',
    retryable: false,
    summary: 'A subscription names a URL Customs cannot deliver to, or a repository glob it cannot read.',
    action: 'Give an http(s) URL without credentials in it, and a glob of letters, digits, / . _ - and *.',
  },
  NOTIFICATION_DELIVERY_FAILED: {
    area: 'notifications',
    retryable: true,
    summary: 'A subscriber did not answer a notification with a 2xx status in time.',
    action: 'Check the receiver; GET /v1/subscriptions/{id}/deliveries lists each attempt and its answer.',
  },
  // cli
  DATABASE_URL_REQUIRED: {
    area: 'cli',
    retryable: false,
    summary: 'A service role that shares its database was started without DATABASE_URL.',
    action: 'Set DATABASE_URL, or run "customs serve" on a single machine.',
  },
  REDIS_URL_REQUIRED: {
    area: 'cli',
    retryable: false,
    summary: 'A service role that shares its queue was started without REDIS_URL.',
    action: 'Set REDIS_URL, or run "customs serve" on a single machine.',
  },
  REDIS_NOT_AVAILABLE: {
    area: 'cli',
    retryable: false,
    summary: '"customs serve" has no REDIS_URL and cannot start redis-server, which is not installed.',
    action: 'Set REDIS_URL=redis://host:6379, or install Redis.',
  },
  SERVER_UNREACHABLE: {
    area: 'cli',
    retryable: true,
    summary: 'customs serve holds the embedded database, but its API did not answer.',
    action: 'Wait until it has started (or stopped) and try again, or use another --db-dir.',
  },
  SERVER_ANSWER_INVALID: {
    area: 'cli',
    retryable: false,
    summary: 'The running customs serve answered something its contract does not allow.',
    action: 'Run the same version of Customs for the server and this command.',
  },
  VULNERABILITY_DATA_EMPTY: {
    area: 'cli',
    retryable: false,
    summary: 'The vulnerability database holds no advisories, so a scan could find nothing.',
    action: 'Fetch them first: customs db update (or customs db import <bundle> where there is no network).',
  },
} as const satisfies Record<string, ErrorCodeDeclaration>;

export type ErrorCode = keyof typeof errorCodes;

/** The codes whose meaning `area` owns. */
export type ErrorCodeIn<A extends ErrorArea> = {
  [C in ErrorCode]: (typeof errorCodes)[C]['area'] extends A ? C : never;
}[ErrorCode];

export function errorCodesIn<A extends ErrorArea>(area: A): readonly ErrorCodeIn<A>[] {
  return (Object.keys(errorCodes) as ErrorCode[]).filter(
    (code): code is ErrorCodeIn<A> => errorCodes[code].area === area,
  );
}

/** True for a code this copy of the package declares (a stored or received code is only a string). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCodes, code);
}
