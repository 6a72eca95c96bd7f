export const id = 777;
export const ids = [777];
export const modules = {

/***/ 34777:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  r: () => (/* binding */ checkImageReference),
  X: () => (/* binding */ openImageSource)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./build/ncc-src/shared/errors.js
var errors = __webpack_require__(40489);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/reference.js
var image_reference = __webpack_require__(90643);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/default-credentials.js
var default_credentials = __webpack_require__(1086);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/digest.js
var image_digest = __webpack_require__(40436);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/media-types.js
var media_types = __webpack_require__(830);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/schema.js
var schema = __webpack_require__(65527);
// EXTERNAL MODULE: ./build/ncc-src/shared/parse-json.js
var parse_json = __webpack_require__(24626);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/source.js
var source = __webpack_require__(67453);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 11 modules
var schemas = __webpack_require__(92857);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/referrers.js
var referrers = __webpack_require__(16582);
;// CONCATENATED MODULE: ./build/ncc-src/shared/image/sources/oci-layout-source.js












function blobPath(digest) {
    const { algorithm, hex } = (0,image_digest/* parseDigest */.m)(digest); // only [a-f0-9], so a digest never names a path outside blobs/
    return `blobs/${algorithm}/${hex}`;
}
const manifestKindSchema = schemas/* object */.Ikc({ mediaType: schemas/* string */.YjP().optional(), manifests: schemas/* array */.YOg(schemas/* unknown */.L5J()).optional() }).passthrough();
/** An ImageSource over an OCI layout: every manifest and blob is checked against its digest before use. */
class LayoutImageSource {
    reference;
    files;
    root;
    inlineManifests;
    what;
    maxManifestBytes;
    constructor(reference, files, root, options = {}, 
    /** Manifests held in memory (docker-archive's synthesized one), by digest. */
    inlineManifests = new Map()) {
        this.reference = reference;
        this.files = files;
        this.root = root;
        this.inlineManifests = inlineManifests;
        this.what = (0,image_reference/* formatReference */.FH)(reference);
        this.maxManifestBytes = options.maxManifestBytes ?? source/* DEFAULT_MAX_MANIFEST_BYTES */.n;
    }
    async rootManifest() {
        return this.loadManifest(this.root.digest, this.root.mediaType);
    }
    async manifest(digest) {
        return this.loadManifest(digest);
    }
    async loadManifest(digest, declaredMediaType) {
        const inline = this.inlineManifests.get(digest);
        if (inline)
            return inline;
        const path = blobPath(digest);
        const bytes = await this.readVerified(path, digest, this.maxManifestBytes, 'MANIFEST_NOT_FOUND', `manifest ${digest}`);
        const where = `${this.what}: manifest ${this.files.describe(path)}`;
        const kind = (0,parse_json/* parseJson */.q)(manifestKindSchema, bytes, where, 'MANIFEST_INVALID');
        const mediaType = kind.mediaType ?? (declaredMediaType && declaredMediaType !== '' ? declaredMediaType : kind.manifests ? media_types/* MediaType */.zu.ociIndex : media_types/* MediaType */.zu.ociManifest);
        // The schema check happens here, so a caller never walks a manifest that is not one.
        if ((0,media_types/* isIndexMediaType */.$$)(mediaType))
            (0,parse_json/* parseJson */.q)(schema/* imageIndexSchema */.jl, bytes, where, 'MANIFEST_INVALID');
        else
            (0,parse_json/* parseJson */.q)(schema/* imageManifestSchema */.gT, bytes, where, 'MANIFEST_INVALID');
        return { mediaType, digest, bytes };
    }
    async openBlob(descriptor) {
        const path = blobPath(descriptor.digest);
        const size = await this.files.size(path);
        if (size === undefined)
            throw this.notFound('BLOB_NOT_FOUND', `blob ${descriptor.digest}`, path);
        if (size !== descriptor.size) {
            throw new errors/* DrydockError */.Td('DIGEST_MISMATCH', `${this.what}: blob ${this.files.describe(path)} is ${size} bytes, its descriptor declares ${descriptor.size}`);
        }
        const stream = await this.files.stream(path);
        if (!stream)
            throw this.notFound('BLOB_NOT_FOUND', `blob ${descriptor.digest}`, path);
        const verifier = new image_digest/* DigestVerifier */.Do(descriptor.digest, `${this.what}: blob ${this.files.describe(path)}`, descriptor.size);
        stream.on('error', (error) => verifier.destroy(error));
        verifier.on('close', () => stream.destroy());
        return stream.pipe(verifier);
    }
    async readBlob(descriptor, maxBytes = this.maxManifestBytes) {
        if (descriptor.size > maxBytes) {
            throw new errors/* DrydockError */.Td('MANIFEST_INVALID', `${this.what}: blob ${descriptor.digest} is ${descriptor.size} bytes, over the ${maxBytes}-byte limit`);
        }
        const path = blobPath(descriptor.digest);
        const bytes = await this.readVerified(path, descriptor.digest, maxBytes, 'BLOB_NOT_FOUND', `blob ${descriptor.digest}`);
        if (bytes.length !== descriptor.size) {
            throw new errors/* DrydockError */.Td('DIGEST_MISMATCH', `${this.what}: blob ${this.files.describe(path)} is ${bytes.length} bytes, its descriptor declares ${descriptor.size}`);
        }
        return bytes;
    }
    /**
     * A layout keeps referrers as manifests of its index.json whose `subject` is the digest (as
     * `oras` and `cosign save` write them), or behind a referrers tag; a docker archive has neither.
     */
    async referrers(digest, artifactType) {
        const index = await readLayoutIndex(this.files, this.what, this.maxManifestBytes);
        if (!index)
            return [];
        const { algorithm, hex } = (0,image_digest/* parseDigest */.m)(digest);
        const fallback = await this.tagged((0,referrers/* referrersTag */.L)(algorithm, hex));
        const found = new Map();
        if (fallback && (0,media_types/* isIndexMediaType */.$$)(fallback.mediaType)) {
            for (const descriptor of (0,parse_json/* parseJson */.q)(schema/* imageIndexSchema */.jl, fallback.bytes, `${this.what}: referrers tag`, 'MANIFEST_INVALID').manifests) {
                found.set(descriptor.digest, descriptor);
            }
        }
        for (const entry of index.manifests.slice(0, MAX_LAYOUT_REFERRER_CANDIDATES)) {
            if (found.has(entry.digest) || (0,media_types/* isIndexMediaType */.$$)(entry.mediaType))
                continue;
            const raw = await this.loadManifest(entry.digest, entry.mediaType);
            const manifest = (0,parse_json/* parseJson */.q)(schema/* imageManifestSchema */.gT, raw.bytes, `${this.what}: manifest ${entry.digest}`, 'MANIFEST_INVALID');
            if (manifest.subject?.digest !== digest)
                continue;
            const type = manifest.artifactType ?? manifest.config.mediaType;
            found.set(entry.digest, {
                mediaType: raw.mediaType,
                digest: raw.digest,
                size: raw.bytes.length,
                artifactType: type,
                ...(manifest.annotations ? { annotations: manifest.annotations } : {}),
            });
        }
        return (0,referrers/* filterByArtifactType */.U)([...found.values()], artifactType);
    }
    async tagged(tag) {
        const index = await readLayoutIndex(this.files, this.what, this.maxManifestBytes);
        const entry = index?.manifests.find((m) => m.annotations?.[schema/* REF_NAME_ANNOTATION */.EP] === tag);
        return entry ? this.loadManifest(entry.digest, entry.mediaType) : undefined;
    }
    async close() {
        await this.files.close?.();
    }
    async readVerified(path, digest, maxBytes, missing, label) {
        const size = await this.files.size(path);
        if (size === undefined)
            throw this.notFound(missing, label, path);
        if (size > maxBytes) {
            throw new errors/* DrydockError */.Td('MANIFEST_INVALID', `${this.what}: ${this.files.describe(path)} is ${size} bytes, over the ${maxBytes}-byte limit`);
        }
        const bytes = await this.files.read(path);
        if (!bytes)
            throw this.notFound(missing, label, path);
        (0,image_digest/* verifyDigest */.Ub)(bytes, digest, `${this.what}: ${this.files.describe(path)}`);
        return bytes;
    }
    notFound(code, label, path) {
        return new errors/* DrydockError */.Td(code, `${this.what}: ${label} not found (${this.files.describe(path)})`);
    }
}
/**
 * Pick the manifest `index.json` names with the tag (org.opencontainers.image.ref.name), or the
 * only one when no tag is given. Errors list the tags that are there.
 */
async function selectLayoutRoot(files, tag, what, maxBytes = source/* DEFAULT_MAX_MANIFEST_BYTES */.n) {
    const marker = await readSmall(files, 'oci-layout', what, maxBytes);
    const layout = (0,parse_json/* parseJson */.q)(schema/* ociLayoutMarkerSchema */.Ze, marker, `${what}: ${files.describe('oci-layout')}`, 'ARCHIVE_INVALID');
    if (!layout.imageLayoutVersion.startsWith('1.')) {
        throw new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${what}: ${files.describe('oci-layout')}: unsupported imageLayoutVersion "${layout.imageLayoutVersion}"`);
    }
    const index = (await readLayoutIndex(files, what, maxBytes));
    const tagged = index.manifests.filter((m) => m.annotations?.[schema/* REF_NAME_ANNOTATION */.EP] !== undefined);
    const tags = tagged.map((m) => m.annotations[schema/* REF_NAME_ANNOTATION */.EP]);
    const listed = tags.length ? `available tags: ${tags.join(', ')}` : 'no entry has a tag (org.opencontainers.image.ref.name)';
    if (tag === undefined) {
        if (index.manifests.length === 1)
            return index.manifests[0];
        if (index.manifests.length === 0)
            throw new errors/* DrydockError */.Td('MANIFEST_NOT_FOUND', `${what}: ${files.describe('index.json')} lists no manifests`);
        throw new errors/* DrydockError */.Td('MANIFEST_NOT_FOUND', `${what}: ${files.describe('index.json')} lists ${index.manifests.length} manifests; name one with :TAG (${listed})`);
    }
    const matches = tagged.filter((m) => m.annotations[schema/* REF_NAME_ANNOTATION */.EP] === tag);
    if (matches.length === 0)
        throw new errors/* DrydockError */.Td('MANIFEST_NOT_FOUND', `${what}: no manifest tagged "${tag}" in ${files.describe('index.json')} (${listed})`);
    const distinct = new Set(matches.map((m) => m.digest));
    if (distinct.size > 1)
        throw new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${what}: tag "${tag}" names ${distinct.size} different manifests in ${files.describe('index.json')}`);
    return matches[0];
}
/** Manifests of a layout's index.json considered as referrers: enough for any real signature set, bounded for a hostile one. */
const MAX_LAYOUT_REFERRER_CANDIDATES = 1000;
/** A layout's index.json, or undefined where there is none (a docker archive read through the same class). */
async function readLayoutIndex(files, what, maxBytes) {
    if ((await files.size('index.json')) === undefined)
        return undefined;
    const bytes = await readSmall(files, 'index.json', what, maxBytes);
    return (0,parse_json/* parseJson */.q)(schema/* imageIndexSchema */.jl, bytes, `${what}: ${files.describe('index.json')}`, 'ARCHIVE_INVALID');
}
async function readSmall(files, path, what, maxBytes) {
    const size = await files.size(path);
    if (size === undefined)
        throw new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${what}: ${files.describe(path)} is missing; not an OCI image layout`);
    if (size > maxBytes)
        throw new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${what}: ${files.describe(path)} is ${size} bytes, over the ${maxBytes}-byte limit`);
    const bytes = await files.read(path);
    if (!bytes)
        throw new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${what}: ${files.describe(path)} is missing; not an OCI image layout`);
    return bytes;
}
/** Files of a layout folder; a path that resolves (through symlinks) outside the folder counts as absent. */
class DirectoryFiles {
    root;
    constructor(root) {
        this.root = root;
    }
    static async open(dir, what) {
        try {
            const root = await (0,promises_.realpath)(dir);
            if (!(await (0,promises_.stat)(root)).isDirectory())
                throw new Error('not a directory');
            return new DirectoryFiles(root);
        }
        catch (error) {
            throw new errors/* DrydockError */.Td('SOURCE_UNAVAILABLE', `${what}: cannot open layout directory ${dir}: ${error.message}`, { cause: error });
        }
    }
    describe(path) {
        return (0,external_node_path_.join)(this.root, path);
    }
    async resolve(path) {
        try {
            const real = await (0,promises_.realpath)((0,external_node_path_.join)(this.root, path));
            if (!real.startsWith(this.root + external_node_path_.sep))
                return undefined;
            return (await (0,promises_.stat)(real)).isFile() ? real : undefined;
        }
        catch {
            return undefined;
        }
    }
    async size(path) {
        const real = await this.resolve(path);
        return real === undefined ? undefined : (await (0,promises_.stat)(real)).size;
    }
    async read(path) {
        const real = await this.resolve(path);
        if (real === undefined)
            return undefined;
        const handle = await (0,promises_.open)(real, 'r');
        try {
            return await handle.readFile();
        }
        finally {
            await handle.close();
        }
    }
    async stream(path) {
        const real = await this.resolve(path);
        return real === undefined ? undefined : (0,external_node_fs_.createReadStream)(real);
    }
}
class OciLayoutSource extends LayoutImageSource {
    static async open(reference, options = {}) {
        const what = (0,image_reference/* formatReference */.FH)(reference);
        const files = await DirectoryFiles.open(reference.path, what);
        const root = await selectLayoutRoot(files, reference.tag, what, options.maxManifestBytes);
        return new OciLayoutSource(reference, files, root, options);
    }
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
;// CONCATENATED MODULE: ./build/ncc-src/shared/image/sources/tar-index.js





const BLOCK = 512;
const MAX_META_BYTES = 1024 * 1024; // pax headers and GNU long names are small; refuse anything bigger
const MAX_LINK_HOPS = 16;
function invalid(file, why) {
    return new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${file}: ${why}`);
}
function cString(block, start, length) {
    const field = block.subarray(start, start + length);
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}
function octal(block, start, length, file, field, at) {
    const first = block[start];
    if (first & 0x80) {
        // GNU base-256: big-endian two's complement with the top bit as the marker.
        let value = 0;
        for (let i = start + 1; i < start + length; i++)
            value = value * 256 + block[i];
        value += (first & 0x3f) * 256 ** (length - 1);
        if (first & 0x40)
            throw invalid(file, `negative ${field} in tar header at offset ${at}`);
        return value;
    }
    const text = cString(block, start, length).trim();
    if (text === '')
        return 0;
    if (!/^[0-7]+$/.test(text))
        throw invalid(file, `bad ${field} "${text}" in tar header at offset ${at}`);
    return parseInt(text, 8);
}
function checksumOk(block) {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++)
        sum += i >= 148 && i < 156 ? 0x20 : block[i];
    const text = cString(block, 148, 8).trim();
    return /^[0-7]+$/.test(text) && sum === parseInt(text, 8);
}
function parsePax(data) {
    const records = {};
    let rest = data;
    while (rest.length) {
        const space = rest.indexOf(0x20);
        const length = parseInt(rest.subarray(0, space).toString('ascii'), 10);
        if (space === -1 || !Number.isSafeInteger(length) || length <= space || length > rest.length)
            break;
        const record = rest.subarray(space + 1, length - 1).toString('utf8');
        const equals = record.indexOf('=');
        if (equals !== -1)
            records[record.slice(0, equals)] = record.slice(equals + 1);
        rest = rest.subarray(length);
    }
    return records;
}
/** `./a//b/./c` → `a/b/c`. Names that climb out (`../x`) or are absolute keep their shape and never match a lookup. */
function normaliseMemberName(name) {
    const stripped = name.replace(/^(\.\/)+/, '');
    if (stripped.startsWith('/'))
        return stripped;
    const normal = external_node_path_.posix.normalize(stripped).replace(/\/$/, '');
    return normal === '.' ? '' : normal;
}
function typeOf(flag) {
    switch (flag) {
        case '0':
        case '\0':
        case '':
        case '7':
            return 'file';
        case '1':
            return 'hardlink';
        case '2':
            return 'symlink';
        case '5':
            return 'directory';
        default:
            return 'other';
    }
}
class TarIndex {
    file;
    members;
    constructor(file, members) {
        this.file = file;
        this.members = members;
    }
    /** Read every header of `file`; `what` names the archive in errors (e.g. `oci-archive:/x.tar`). */
    static async open(file, what = file) {
        let handle;
        try {
            handle = await (0,promises_.open)(file, 'r');
        }
        catch (error) {
            throw new errors/* DrydockError */.Td('SOURCE_UNAVAILABLE', `${what}: cannot open ${file}: ${error.message}`, { cause: error });
        }
        try {
            return new TarIndex(file, await readMembers(handle, what));
        }
        finally {
            await handle.close();
        }
    }
    names() {
        return [...this.members.keys()];
    }
    /** The regular file at `name`, following hard and symbolic links inside the archive; undefined if absent. */
    find(name) {
        let current = normaliseMemberName(name);
        for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            if (current.startsWith('/') || current === '..' || current.startsWith('../'))
                return undefined;
            const member = this.members.get(current);
            if (!member)
                return undefined;
            if (member.type === 'file')
                return member;
            if (member.type === 'hardlink' && member.linkname !== undefined)
                current = normaliseMemberName(member.linkname);
            else if (member.type === 'symlink' && member.linkname !== undefined) {
                current = member.linkname.startsWith('/') ? member.linkname : normaliseMemberName(external_node_path_.posix.join(external_node_path_.posix.dirname(current), member.linkname));
            }
            else
                return undefined;
        }
        return undefined;
    }
    /** The member's bytes as a stream of the file's byte range. */
    stream(member) {
        if (member.size === 0)
            return external_node_stream_.Readable.from([]);
        return (0,external_node_fs_.createReadStream)(this.file, { start: member.offset, end: member.offset + member.size - 1 });
    }
    async read(member) {
        const handle = await (0,promises_.open)(this.file, 'r');
        try {
            const buffer = Buffer.alloc(member.size);
            const { bytesRead } = await handle.read(buffer, 0, member.size, member.offset);
            if (bytesRead !== member.size)
                throw invalid(this.file, `member ${member.name} is truncated`);
            return buffer;
        }
        finally {
            await handle.close();
        }
    }
}
async function readMembers(handle, what) {
    const { size: fileSize } = await handle.stat();
    const members = new Map();
    const block = Buffer.alloc(BLOCK);
    let offset = 0;
    let pax = {};
    let longName;
    let longLink;
    const readData = async (at, length, kind) => {
        if (length > MAX_META_BYTES)
            throw invalid(what, `${kind} at offset ${at} is ${length} bytes, over the ${MAX_META_BYTES}-byte limit`);
        const data = Buffer.alloc(length);
        const { bytesRead } = await handle.read(data, 0, length, at);
        if (bytesRead !== length)
            throw invalid(what, `truncated ${kind} at offset ${at}`);
        return data;
    };
    for (;;) {
        const { bytesRead } = await handle.read(block, 0, BLOCK, offset);
        if (bytesRead === 0 && offset > 0)
            break; // some writers omit the end-of-archive blocks
        if (bytesRead < BLOCK)
            throw invalid(what, offset === 0 ? 'empty file, not a tar archive' : `truncated tar header at offset ${offset}`);
        if (block.every((byte) => byte === 0))
            break;
        if (offset === 0 && block[0] === 0x1f && block[1] === 0x8b)
            throw invalid(what, 'is gzip-compressed; decompress it to a plain tar first');
        if (offset === 0 && block.readUInt32BE(0) === 0x28b52ffd)
            throw invalid(what, 'is zstd-compressed; decompress it to a plain tar first');
        if (!checksumOk(block)) {
            throw invalid(what, offset === 0 ? 'not a tar archive (bad header checksum)' : `corrupt tar header at offset ${offset} (bad checksum)`);
        }
        const flag = String.fromCharCode(block[156]);
        const meta = flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
        const paxSize = !meta && pax.size !== undefined && /^\d+$/.test(pax.size) ? Number(pax.size) : undefined;
        const size = paxSize ?? octal(block, 124, 12, what, 'size', offset);
        const dataOffset = offset + BLOCK;
        if (dataOffset + size > fileSize)
            throw invalid(what, `truncated: member at offset ${offset} declares ${size} bytes past the end of the file`);
        const next = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
        if (flag === 'x') {
            pax = { ...pax, ...parsePax(await readData(dataOffset, size, 'pax header')) };
        }
        else if (flag === 'g') {
            // Global pax headers carry defaults (mtime, charset), never a member's path.
        }
        else if (flag === 'L') {
            longName = cString(await readData(dataOffset, size, 'GNU long name'), 0, size);
        }
        else if (flag === 'K') {
            longLink = cString(await readData(dataOffset, size, 'GNU long link name'), 0, size);
        }
        else {
            let name = cString(block, 0, 100);
            const magic = block.subarray(257, 263).toString('latin1');
            const prefix = magic === 'ustar\0' ? cString(block, 345, 155) : '';
            if (prefix)
                name = `${prefix}/${name}`;
            name = pax.path ?? longName ?? name;
            const linkname = pax.linkpath ?? longLink ?? cString(block, 157, 100);
            const type = typeOf(flag);
            const member = { name: normaliseMemberName(name), type, offset: dataOffset, size };
            if (type === 'hardlink' || type === 'symlink')
                member.linkname = linkname;
            members.set(member.name, member);
            pax = {};
            longName = undefined;
            longLink = undefined;
        }
        offset = next;
    }
    return members;
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/image/sources/docker-archive-source.js










/**
 * `docker-archive:FILE[:REF]`: what `docker save` writes, read in place. Both layouts are handled
 * by the one `manifest.json` they share: classic (`<id>/layer.tar`, `<hex>.json`) and docker 25+
 * (`blobs/sha256/<hex>` inside an OCI layout). A Docker v2 schema 2 manifest is synthesized from it;
 * its digest is the sha256 of those synthesized bytes.
 */
/** Docker's media type for an uncompressed layer (distribution's schema2.MediaTypeUncompressedLayer). */
const DOCKER_LAYER_TAR = 'application/vnd.docker.image.rootfs.diff.tar';
const BLOB_PATH = /^blobs\/(sha256|sha512)\/([a-f0-9]+)$/;
/** Blobs of the archive under virtual `blobs/<alg>/<hex>` paths, each mapped to a member of the tar. */
class ArchiveBlobFiles {
    tar;
    blobs;
    constructor(tar, blobs) {
        this.tar = tar;
        this.blobs = blobs;
    }
    describe(path) {
        return `${this.tar.file}!${this.blobs.get(path)?.name ?? path}`;
    }
    async size(path) {
        return this.blobs.get(path)?.size;
    }
    async read(path) {
        const member = this.blobs.get(path);
        return member ? this.tar.read(member) : undefined;
    }
    async stream(path) {
        const member = this.blobs.get(path);
        return member ? this.tar.stream(member) : undefined;
    }
}
function sameImage(repoTag, wanted) {
    if (repoTag === wanted)
        return true;
    try {
        return (0,image_reference/* formatReference */.FH)((0,image_reference/* parseRegistryReference */.qq)(repoTag)) === (0,image_reference/* formatReference */.FH)((0,image_reference/* parseRegistryReference */.qq)(wanted));
    }
    catch {
        return false;
    }
}
function selectEntry(entries, ref, what, where) {
    const tags = entries.flatMap((entry) => entry.RepoTags ?? []);
    const listed = tags.length ? `available: ${tags.join(', ')}` : 'no image in it has a RepoTag';
    if (ref === undefined) {
        if (entries.length === 1)
            return entries[0];
        if (entries.length === 0)
            throw new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${what}: ${where} lists no images`);
        throw new errors/* DrydockError */.Td('MANIFEST_NOT_FOUND', `${what}: ${where} holds ${entries.length} images; name one with :REF or :@N (${listed})`);
    }
    const position = /^@(\d+)$/.exec(ref);
    if (position) {
        const entry = entries[Number(position[1])];
        if (!entry)
            throw new errors/* DrydockError */.Td('MANIFEST_NOT_FOUND', `${what}: no image @${position[1]} in ${where} (it holds ${entries.length})`);
        return entry;
    }
    const match = entries.find((entry) => (entry.RepoTags ?? []).some((tag) => sameImage(tag, ref)));
    if (!match)
        throw new errors/* DrydockError */.Td('MANIFEST_NOT_FOUND', `${what}: no image tagged "${ref}" in ${where} (${listed})`);
    return match;
}
async function headOf(tar, member) {
    const chunks = [];
    let length = 0;
    for await (const chunk of tar.stream({ ...member, size: Math.min(member.size, 4) })) {
        chunks.push(chunk);
        length += chunk.length;
    }
    return Buffer.concat(chunks, length);
}
function layerMediaType(head) {
    if (head[0] === 0x1f && head[1] === 0x8b)
        return media_types/* MediaType */.zu.dockerLayerGzip;
    if (head.length >= 4 && head.readUInt32BE(0) === 0x28b52ffd)
        return media_types/* MediaType */.zu.ociLayerZstd;
    return DOCKER_LAYER_TAR;
}
async function hashMember(tar, member) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    for await (const chunk of tar.stream(member))
        hash.update(chunk);
    return `sha256:${hash.digest('hex')}`;
}
class DockerArchiveSource extends LayoutImageSource {
    static async open(reference, options = {}) {
        return DockerArchiveSource.fromFile(reference.path, reference, reference.tag, options);
    }
    /** Read a `docker save` file on behalf of `reference` (also used by the docker-daemon source). */
    static async fromFile(file, reference, ref, options = {}) {
        const what = (0,image_reference/* formatReference */.FH)(reference);
        const maxBytes = options.maxManifestBytes ?? source/* DEFAULT_MAX_MANIFEST_BYTES */.n;
        const tar = await TarIndex.open(file, what);
        const member = (name, role, code = 'BLOB_NOT_FOUND') => {
            const found = tar.find(name);
            if (!found)
                throw new errors/* DrydockError */.Td(code, `${what}: ${role} ${file}!${name} is missing from the archive`);
            return found;
        };
        const small = async (found, role) => {
            if (found.size > maxBytes)
                throw new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${what}: ${role} ${file}!${found.name} is ${found.size} bytes, over the ${maxBytes}-byte limit`);
            return tar.read(found);
        };
        const manifestWhere = `${file}!manifest.json`;
        const manifestJson = await small(member('manifest.json', 'manifest.json', 'ARCHIVE_INVALID'), 'manifest.json');
        const entries = (0,parse_json/* parseJson */.q)(schema/* dockerArchiveManifestSchema */.ZJ, manifestJson, `${what}: ${manifestWhere}`, 'ARCHIVE_INVALID');
        const entry = selectEntry(entries, ref, what, manifestWhere);
        const configMember = member(entry.Config, 'config');
        const config = await small(configMember, 'config');
        const configDigest = (0,image_digest/* digestOf */.ol)(config);
        const named = BLOB_PATH.exec(configMember.name);
        if (named)
            (0,image_digest/* verifyDigest */.Ub)(config, `${named[1]}:${named[2]}`, `${what}: config ${file}!${configMember.name}`);
        const diffIds = (0,parse_json/* parseJson */.q)(schema/* imageConfigSchema */.L8, config, `${what}: config ${file}!${configMember.name}`, 'MANIFEST_INVALID').rootfs?.diff_ids ?? [];
        if (diffIds.length !== entry.Layers.length) {
            throw new errors/* DrydockError */.Td('ARCHIVE_INVALID', `${what}: ${manifestWhere} lists ${entry.Layers.length} layers but config ${configMember.name} has ${diffIds.length} rootfs.diff_ids`);
        }
        const blobs = new Map([[blobPath(configDigest), configMember]]);
        const layers = [];
        for (const [i, layerPath] of entry.Layers.entries()) {
            const layer = member(layerPath, `layer ${i}`);
            const mediaType = layerMediaType(await headOf(tar, layer));
            const byPath = BLOB_PATH.exec(layer.name);
            // An uncompressed layer's digest is its diff_id; anything else is hashed once here.
            const digest = byPath ? `${byPath[1]}:${byPath[2]}` : mediaType === DOCKER_LAYER_TAR ? diffIds[i] : await hashMember(tar, layer);
            blobs.set(blobPath(digest), layer);
            layers.push({ mediaType, digest, size: layer.size });
        }
        const bytes = Buffer.from(JSON.stringify({
            schemaVersion: 2,
            mediaType: media_types/* MediaType */.zu.dockerManifest,
            config: { mediaType: media_types/* MediaType */.zu.dockerConfig, size: config.length, digest: configDigest },
            layers,
        }));
        const synthesized = { mediaType: media_types/* MediaType */.zu.dockerManifest, digest: (0,image_digest/* digestOf */.ol)(bytes), bytes };
        const root = { mediaType: synthesized.mediaType, digest: synthesized.digest, size: bytes.length };
        return new DockerArchiveSource(reference, new ArchiveBlobFiles(tar, blobs), root, options, new Map([[synthesized.digest, synthesized]]));
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
;// CONCATENATED MODULE: ./build/ncc-src/shared/image/sources/docker-daemon-source.js







function dockerSave(command, name, file, signal) {
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(command, ['save', '--output', file, name], { stdio: ['ignore', 'ignore', 'pipe'], ...(signal ? { signal } : {}) });
        let stderr = '';
        child.stderr.on('data', (chunk) => {
            stderr = (stderr + chunk.toString()).slice(-4000);
        });
        child.once('error', (error) => resolve({ code: null, stderr, spawnError: error }));
        child.once('close', (code) => resolve({ code, stderr }));
    });
}
function saveError(result, command, name, what) {
    if (result.spawnError?.code === 'ENOENT') {
        return new errors/* DrydockError */.Td('SOURCE_UNAVAILABLE', `${what}: the docker CLI ("${command}") is not installed or not on PATH`);
    }
    if (result.spawnError)
        return new errors/* DrydockError */.Td('SOURCE_UNAVAILABLE', `${what}: cannot run "${command}": ${result.spawnError.message}`);
    const message = result.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${result.code}`;
    if (/cannot connect to the docker daemon|is the docker daemon running|docker\.sock|connection refused|error during connect/i.test(result.stderr)) {
        return new errors/* DrydockError */.Td('SOURCE_UNAVAILABLE', `${what}: the Docker daemon is not reachable (${message})`);
    }
    if (/no such image|reference does not exist|not found/i.test(result.stderr)) {
        return new errors/* DrydockError */.Td('MANIFEST_NOT_FOUND', `${what}: the Docker daemon has no image "${name}" (${message})`);
    }
    return new errors/* DrydockError */.Td('SOURCE_UNAVAILABLE', `${what}: docker save ${name} failed: ${message}`);
}
class DockerDaemonSource {
    reference;
    archive;
    tempDir;
    constructor(reference, archive, tempDir) {
        this.reference = reference;
        this.archive = archive;
        this.tempDir = tempDir;
    }
    static async open(reference, options = {}) {
        const what = (0,image_reference/* formatReference */.FH)(reference);
        const command = options.dockerCommand ?? 'docker';
        const tempDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'drydock-docker-save-'));
        try {
            const file = (0,external_node_path_.join)(tempDir, 'image.tar');
            const result = await dockerSave(command, reference.name, file, options.signal);
            if (result.code !== 0)
                throw saveError(result, command, reference.name, what);
            // `docker save NAME` writes exactly one image, so no tag is needed to pick it.
            const archive = await DockerArchiveSource.fromFile(file, reference, undefined, options);
            return new DockerDaemonSource(reference, archive, tempDir);
        }
        catch (error) {
            await (0,promises_.rm)(tempDir, { recursive: true, force: true });
            throw error;
        }
    }
    rootManifest() {
        return this.archive.rootManifest();
    }
    manifest(digest) {
        return this.archive.manifest(digest);
    }
    openBlob(descriptor) {
        return this.archive.openBlob(descriptor);
    }
    readBlob(descriptor, maxBytes) {
        return this.archive.readBlob(descriptor, maxBytes);
    }
    referrers(digest, artifactType) {
        return this.archive.referrers(digest, artifactType);
    }
    tagged(tag) {
        return this.archive.tagged(tag);
    }
    async close() {
        await this.archive.close();
        await (0,promises_.rm)(this.tempDir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/image/sources/oci-archive-source.js



/**
 * `oci-archive:FILE[:TAG]`: a tar of an OCI layout, read in place. The tar's headers are indexed
 * once; manifests and blobs are byte ranges of the file, never extracted.
 */
class TarLayoutFiles {
    tar;
    constructor(tar) {
        this.tar = tar;
    }
    describe(path) {
        return `${this.tar.file}!${path}`;
    }
    async size(path) {
        return this.tar.find(path)?.size;
    }
    async read(path) {
        const member = this.tar.find(path);
        return member ? this.tar.read(member) : undefined;
    }
    async stream(path) {
        const member = this.tar.find(path);
        return member ? this.tar.stream(member) : undefined;
    }
}
class OciArchiveSource extends LayoutImageSource {
    static async open(reference, options = {}) {
        const what = (0,image_reference/* formatReference */.FH)(reference);
        const files = new TarLayoutFiles(await TarIndex.open(reference.path, what));
        const root = await selectLayoutRoot(files, reference.tag, what, options.maxManifestBytes);
        return new OciArchiveSource(reference, files, root, options);
    }
}

// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/client.js + 2 modules
var client = __webpack_require__(6800);
;// CONCATENATED MODULE: ./build/ncc-src/shared/image/sources/registry-source.js



/**
 * An image in a registry. A reference with both tag and digest is read by digest (the tag is
 * informational, as docker treats `name:tag@digest`).
 */
class RegistrySource {
    reference;
    client;
    ownsClient;
    constructor(reference, options = {}) {
        this.reference = reference;
        this.ownsClient = options.client === undefined;
        this.client =
            options.client ??
                new client/* RegistryClient */.bP({
                    ...options.clientOptions,
                    ...(options.credentials !== undefined && { credentials: options.credentials }),
                    ...(options.insecureRegistries !== undefined && { insecureRegistries: options.insecureRegistries }),
                    ...(options.maxManifestBytes !== undefined && { maxManifestBytes: options.maxManifestBytes }),
                    ...(options.signal !== undefined && { signal: options.signal }),
                });
    }
    get description() {
        return (0,image_reference/* formatReference */.FH)(this.reference);
    }
    rootManifest() {
        return this.client.getManifest(this.reference, (0,image_reference/* manifestSelector */.Ph)(this.reference));
    }
    manifest(digest) {
        return this.client.getManifest(this.reference, digest);
    }
    openBlob(descriptor) {
        return this.client.openBlob(this.reference, descriptor);
    }
    readBlob(descriptor, maxBytes) {
        return this.client.readBlob(this.reference, descriptor, maxBytes);
    }
    referrers(digest, artifactType) {
        return this.client.referrers(this.reference, digest, artifactType);
    }
    async tagged(tag) {
        try {
            return await this.client.getManifest(this.reference, tag);
        }
        catch (error) {
            if ((0,errors/* isDrydockError */.L3)(error, 'MANIFEST_NOT_FOUND'))
                return undefined;
            throw error;
        }
    }
    async close() {
        if (this.ownsClient)
            await this.client.close();
    }
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/image/open-source.js









/** What is at `path` on disk, or undefined when nothing is. */
async function kindOnDisk(path) {
    const info = await (0,promises_.stat)(path).catch(() => undefined);
    if (!info)
        return undefined;
    return info.isDirectory() ? 'folder' : 'file';
}
/**
 * A path typed without a transport would be looked up on Docker Hub (`image.tar` →
 * docker.io/library/image.tar): when it names something on disk, the user meant a local image.
 * A bare word (`alpine`) stays a registry name even if a folder of that name happens to be here.
 */
async function refuseBarePath(text) {
    if (/^(oci|oci-archive|docker-archive|docker-daemon):/.test(text) || !/[./]/.test(text))
        return;
    const kind = await kindOnDisk(text);
    if (kind === 'folder') {
        throw new errors/* DrydockError */.Td('USAGE', `image "${text}" is a folder on disk, not a registry reference; did you mean oci:${text}`);
    }
    if (kind === 'file') {
        throw new errors/* DrydockError */.Td('USAGE', `image "${text}" is a file on disk, not a registry reference; did you mean oci-archive:${text} or docker-archive:${text}`);
    }
}
/** Archives are files and layouts are folders; the other way round gets a hint instead of EISDIR. */
async function checkLocalPath(ref) {
    if (ref.transport !== 'oci' && ref.transport !== 'oci-archive' && ref.transport !== 'docker-archive')
        return;
    const kind = await kindOnDisk(ref.path);
    if (kind === undefined) {
        throw new errors/* DrydockError */.Td('SOURCE_UNAVAILABLE', `${ref.transport}:${ref.path}: ${ref.path} does not exist`);
    }
    if (ref.transport === 'oci' && kind === 'file') {
        throw new errors/* DrydockError */.Td('USAGE', `oci:${ref.path}: ${ref.path} is a file, not an OCI layout folder; did you mean oci-archive:${ref.path} or docker-archive:${ref.path}`);
    }
    if (ref.transport !== 'oci' && kind === 'folder') {
        throw new errors/* DrydockError */.Td('USAGE', `${ref.transport}:${ref.path}: ${ref.path} is a folder, not an archive; did you mean oci:${ref.path}`);
    }
}
/**
 * What can be told about an image reference without the network: it parses, a path was not
 * typed where a registry name belongs, and a local image is the kind of thing on disk its
 * transport reads. openImageSource runs it too; commands call it before fetching anything.
 */
async function checkImageReference(reference) {
    if (typeof reference === 'string')
        await refuseBarePath(reference);
    const ref = typeof reference === 'string' ? (0,image_reference/* parseReference */.F2)(reference) : reference;
    await checkLocalPath(ref);
    return ref;
}
/** The one switch from a reference's transport to the source that reads it. */
async function openImageSource(reference, options = {}) {
    const ref = await checkImageReference(reference);
    const { credentials, clientOptions, ...sourceOptions } = options;
    switch (ref.transport) {
        case 'registry':
            return new RegistrySource(ref, {
                ...sourceOptions,
                credentials: (0,default_credentials/* registryCredentials */.Q)({ explicit: credentials ?? [] }),
                ...(clientOptions ? { clientOptions } : {}),
            });
        case 'oci':
            return OciLayoutSource.open(ref, sourceOptions);
        case 'oci-archive':
            return OciArchiveSource.open(ref, sourceOptions);
        case 'docker-archive':
            return DockerArchiveSource.open(ref, sourceOptions);
        case 'docker-daemon':
            return DockerDaemonSource.open(ref, sourceOptions);
    }
}


/***/ }),

/***/ 16582:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ referrersTag),
/* harmony export */   U: () => (/* binding */ filterByArtifactType)
/* harmony export */ });
/** The referrers tag schema: `<alg>-<ref>`, algorithm cut to 32 and encoded digest to 64 characters. */
function referrersTag(algorithm, hex) {
    return `${algorithm.slice(0, 32)}-${hex.slice(0, 64)}`;
}
/** The referrers API's `artifactType` filter, applied where a source had to list them all. */
function filterByArtifactType(descriptors, artifactType) {
    return artifactType === undefined ? descriptors : descriptors.filter((d) => d.artifactType === artifactType);
}


/***/ }),

/***/ 60022:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ly: () => (/* binding */ acrCredentials)
/* harmony export */ });
/* unused harmony exports ACR_USERNAME, ACR_AUDIENCE_SCOPE, isAcrHost, acrTokenScope, exchangeAadToken */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(40489);
/* harmony import */ var _parse_json_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(24626);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(55286);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(53658);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(32369);





/**
 * Azure Container Registry without a password: an Entra ID (AAD) access token from the ambient
 * Azure identity (workload identity, managed identity, az login, …) is exchanged at
 * `POST https://<registry>/oauth2/exchange` for an ACR refresh token, which then works like
 * Docker's identity token (`grant_type=refresh_token` at the registry's token realm) under the
 * fixed username ACR documents for it.
 *
 * Why not @azure/container-registry: it does this exchange only inside its own generated
 * client (`generated/operations/authentication.js`), which its package `exports` map does not
 * expose, and its public ContainerRegistryClient speaks ACR's management-style API, not the
 * distribution flow we need. So the exchange is one form POST on our own HTTP layer, which also
 * keeps our transport policy, retries and timeouts.
 */
const ACR_USERNAME = '00000000-0000-0000-0000-000000000000';
const ACR_AUDIENCE_SCOPE = 'https://containerregistry.azure.net/.default';
/** Sovereign clouds: ACR there accepts the cloud's Resource Manager audience, as `az acr login` uses. */
const SOVEREIGN_SCOPES = [
    ['.azurecr.cn', 'https://management.chinacloudapi.cn/.default'],
    ['.azurecr.us', 'https://management.usgovcloudapi.net/.default'],
];
const ACR_SUFFIXES = ['.azurecr.io', ...SOVEREIGN_SCOPES.map(([suffix]) => suffix)];
function isAcrHost(registry) {
    const host = registry.toLowerCase().replace(/:\d+$/, '');
    return ACR_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}
function acrTokenScope(registry) {
    const host = registry.toLowerCase().replace(/:\d+$/, '');
    return SOVEREIGN_SCOPES.find(([suffix]) => host.endsWith(suffix))?.[1] ?? ACR_AUDIENCE_SCOPE;
}
function acrCredentials(options = {}) {
    const isAcr = options.isAcr ?? isAcrHost;
    const scopeFor = options.scopeFor ?? acrTokenScope;
    const tenant = options.tenantId ?? (options.env ?? process.env).AZURE_TENANT_ID;
    let identity;
    return {
        async get(registry) {
            if (!isAcr(registry))
                return undefined;
            let aadToken;
            try {
                identity ??= options.tokenCredential !== undefined
                    ? Promise.resolve(options.tokenCredential)
                    : Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(491)]).then(__webpack_require__.bind(__webpack_require__, 91491)).then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
                const token = await (await identity).getToken(scopeFor(registry));
                if (token === null) {
                    options.debug?.(`no Azure identity token for ${registry}`);
                    return undefined;
                }
                aadToken = token.token;
            }
            catch (error) {
                // No identity here is not an error: the registry may allow anonymous pulls.
                options.debug?.(`no Azure identity available for ${registry}: ${error.message?.split('\n')[0] ?? error}`);
                return undefined;
            }
            const refreshToken = await exchangeAadToken(registry, aadToken, { ...options, ...(tenant !== undefined && { tenantId: tenant }) });
            return { username: ACR_USERNAME, identityToken: refreshToken, source: 'the Azure identity (Entra ID token exchanged for an ACR refresh token)' };
        },
    };
}
/** `POST /oauth2/exchange` (grant_type=access_token) → the ACR refresh token. */
async function exchangeAadToken(registry, aadAccessToken, options = {}) {
    const transport = new _http_js__WEBPACK_IMPORTED_MODULE_2__/* .HttpTransport */ .G5({
        ...(options.pool !== undefined && { pool: options.pool }),
        ...(options.insecureRegistries !== undefined && { insecureRegistries: options.insecureRegistries }),
        ...(options.requestTimeoutMs !== undefined && { requestTimeoutMs: options.requestTimeoutMs }),
    });
    try {
        return await exchangeOver(transport, registry, aadAccessToken, options);
    }
    finally {
        await transport.close();
    }
}
async function exchangeOver(transport, registry, aadAccessToken, options) {
    const url = new URL('/oauth2/exchange', transport.baseUrl(registry));
    transport.checkUrl(url);
    const form = new URLSearchParams({ grant_type: 'access_token', service: registry, access_token: aadAccessToken });
    if (options.tenantId !== undefined && options.tenantId !== '')
        form.set('tenant', options.tenantId);
    const what = `ACR token exchange at ${(0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .redactUrl */ .BO)(url)}`;
    let response;
    try {
        response = await (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .sendWithRetry */ .lx)(() => transport.send({
            method: 'POST',
            url,
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
        }), { ..._retry_js__WEBPACK_IMPORTED_MODULE_3__/* .DEFAULT_RETRY_POLICY */ .cO, ...options.retry });
    }
    catch (error) {
        const cause = error instanceof _retry_js__WEBPACK_IMPORTED_MODULE_3__/* .NetworkFailure */ .pM ? error.cause : error;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('REGISTRY_UNREACHABLE', `${what}: cannot reach ${registry}`, { cause });
    }
    // Never follow a redirect here: the Entra token belongs to this host alone.
    const body = await (0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .readBody */ .x8)(response, 1024 * 1024, what, 'REGISTRY_ERROR');
    if (response.status === 401 || response.status === 403) {
        const detail = (0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .describeRegistryErrors */ .qc)(body);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('AUTH_FAILED', `registry ${registry} refused the Azure identity's token (HTTP ${response.status})${detail ? `: ${detail}` : ''}; does the identity have the AcrPull role?`);
    }
    if (response.status !== 200) {
        const detail = (0,_http_js__WEBPACK_IMPORTED_MODULE_2__/* .describeRegistryErrors */ .qc)(body);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('REGISTRY_ERROR', `${what} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
    }
    return (0,_parse_json_js__WEBPACK_IMPORTED_MODULE_1__/* .parseJson */ .q)(_schema_js__WEBPACK_IMPORTED_MODULE_4__/* .acrExchangeResponseSchema */ .o3, body, `${what} response`, 'AUTH_FAILED').refresh_token;
}


/***/ }),

/***/ 6800:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  bP: () => (/* binding */ RegistryClient)
});

// UNUSED EXPORTS: DEFAULT_MAX_CONCURRENCY, referrersTag

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(70370);
// EXTERNAL MODULE: ./build/ncc-src/shared/errors.js
var errors = __webpack_require__(40489);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/digest.js
var image_digest = __webpack_require__(40436);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/media-types.js
var media_types = __webpack_require__(830);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/reference.js
var reference = __webpack_require__(90643);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/referrers.js
var referrers = __webpack_require__(16582);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/schema.js
var schema = __webpack_require__(65527);
// EXTERNAL MODULE: ./build/ncc-src/shared/parse-json.js
var parse_json = __webpack_require__(24626);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/source.js
var source = __webpack_require__(67453);
;// CONCATENATED MODULE: ./build/ncc-src/shared/image/registry/challenge.js
const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
class Scanner {
    text;
    pos = 0;
    constructor(text) {
        this.text = text;
    }
    get done() {
        return this.pos >= this.text.length;
    }
    peek() {
        return this.text[this.pos] ?? '';
    }
    skipSpace() {
        while (this.peek() === ' ' || this.peek() === '\t')
            this.pos++;
    }
    skipSeparators() {
        while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',')
            this.pos++;
    }
    token() {
        const start = this.pos;
        while (!this.done && TOKEN.test(this.peek()))
            this.pos++;
        return this.text.slice(start, this.pos);
    }
    quoted() {
        this.pos++; // opening quote
        let value = '';
        while (!this.done && this.peek() !== '"') {
            if (this.peek() === '\\' && this.pos + 1 < this.text.length)
                this.pos++;
            value += this.peek();
            this.pos++;
        }
        this.pos++; // closing quote (or past the end of an unterminated one)
        return value;
    }
    /** A parameter value: quoted-string, or everything up to the next comma. */
    value() {
        this.skipSpace();
        if (this.peek() === '"')
            return this.quoted();
        const start = this.pos;
        while (!this.done && this.peek() !== ',')
            this.pos++;
        return this.text.slice(start, this.pos).trim();
    }
}
function parseWwwAuthenticate(header) {
    if (header === undefined)
        return [];
    const values = typeof header === 'string' ? [header] : header;
    const challenges = [];
    for (const text of values) {
        const scanner = new Scanner(text);
        let current;
        while (true) {
            scanner.skipSeparators();
            if (scanner.done)
                break;
            const start = scanner.pos;
            const name = scanner.token();
            if (name === '') {
                scanner.pos++; // a stray character: step over it rather than loop forever
                continue;
            }
            scanner.skipSpace();
            if (scanner.peek() === '=' && current !== undefined) {
                scanner.pos++;
                current.params[name.toLowerCase()] = scanner.value();
                continue;
            }
            if (scanner.peek() === '=' && current === undefined) {
                // a parameter before any scheme: malformed; skip its value
                scanner.pos++;
                scanner.value();
                continue;
            }
            scanner.pos = start + name.length;
            current = { scheme: name.toLowerCase(), params: {} };
            challenges.push(current);
            // token68 form (`Negotiate abc==`): keep it whole under the `token68` key
            scanner.skipSpace();
            const rest = /^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/.exec(text.slice(scanner.pos));
            if (rest && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^=]/.test(text.slice(scanner.pos))) {
                current.params.token68 = rest[0];
                scanner.pos += rest[0].length;
            }
        }
    }
    return challenges;
}
/** Bearer beats Basic: a token scoped to one repository is less to lose than a password. */
function pickChallenge(challenges) {
    return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
/** `scope="a b"` may name several scopes separated by spaces. */
function challengeScopes(challenge) {
    return (challenge.params.scope ?? '').split(' ').filter((scope) => scope !== '');
}

// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/credentials.js
var credentials = __webpack_require__(99218);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/http.js
var http = __webpack_require__(55286);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/manifest-type.js
var manifest_type = __webpack_require__(58960);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/retry.js
var retry = __webpack_require__(53658);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/schema.js
var registry_schema = __webpack_require__(32369);
;// CONCATENATED MODULE: ./build/ncc-src/shared/image/registry/token-auth.js




/** Docker's default when a token server does not say (distribution token spec: 60 s). */
const DEFAULT_EXPIRES_IN_S = 60;
/** Tokens are dropped a little early: a request takes time, and clocks differ. */
const EXPIRY_MARGIN_MS = 5_000;
const MAX_TOKEN_RESPONSE = 1024 * 1024;
const CLIENT_ID = 'drydock';
function basicAuthorization(username, password) {
    return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
async function fetchBearerToken(exchange, req, now = Date.now) {
    const realmText = req.challenge.params.realm;
    const subject = `registry ${req.registry}${req.repository ? ` repository ${req.repository}` : ''}`;
    if (realmText === undefined || realmText === '') {
        throw new errors/* DrydockError */.Td('AUTH_FAILED', `${subject}: the Bearer challenge names no token realm`);
    }
    let realm;
    try {
        realm = new URL(realmText);
    }
    catch {
        throw new errors/* DrydockError */.Td('AUTH_FAILED', `${subject}: the Bearer challenge realm "${realmText}" is not a URL`);
    }
    const service = req.challenge.params.service;
    const credential = req.credential;
    let response;
    if (credential?.identityToken !== undefined) {
        const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.identityToken, client_id: CLIENT_ID });
        if (service !== undefined)
            form.set('service', service);
        if (req.scopes.length > 0)
            form.set('scope', req.scopes.join(' '));
        response = await exchange({
            method: 'POST',
            url: realm,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form.toString(),
        });
    }
    else {
        const url = new URL(realm);
        if (service !== undefined)
            url.searchParams.set('service', service);
        for (const scope of req.scopes)
            url.searchParams.append('scope', scope);
        const headers = {};
        if (credential?.username !== undefined && credential.password !== undefined) {
            url.searchParams.set('account', credential.username);
            headers.authorization = basicAuthorization(credential.username, credential.password);
        }
        response = await exchange({ method: 'GET', url, headers });
    }
    if (response.status === 401 || response.status === 403) {
        const detail = (0,http/* describeRegistryErrors */.qc)(response.text);
        const who = credential === undefined
            ? 'anonymous access'
            : `the credentials${credential.username !== undefined ? ` of user "${credential.username}"` : ''}${credential.source ? ` (from ${credential.source})` : ''}`;
        throw new errors/* DrydockError */.Td('AUTH_FAILED', `${subject}: token server ${realm.host} refused ${who} (HTTP ${response.status})${detail ? `: ${detail}` : ''}`);
    }
    if (response.status < 200 || response.status > 299) {
        const detail = (0,http/* describeRegistryErrors */.qc)(response.text);
        throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${subject}: token server ${(0,http/* redactUrl */.BO)(realm)} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
    }
    if (response.text.length > MAX_TOKEN_RESPONSE) {
        throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${subject}: token server ${realm.host} sent an oversized response`);
    }
    const body = (0,parse_json/* parseJson */.q)(registry_schema/* tokenResponseSchema */.kS, response.text, `token response from ${realm.host}`, 'AUTH_FAILED');
    const token = (body.token ?? body.access_token);
    const expiresIn = body.expires_in !== undefined && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN_S;
    // issued_at only ever brings expiry forward: a server clock ahead of ours must not stretch it.
    const issued = body.issued_at !== undefined ? Date.parse(body.issued_at) : Number.NaN;
    const start = Number.isNaN(issued) ? now() : Math.min(now(), issued);
    return { token, expiresAt: start + expiresIn * 1000 - Math.min(EXPIRY_MARGIN_MS, (expiresIn * 1000) / 4) };
}
/**
 * Tokens per (registry, scope) until they expire. Concurrent requests for the same key share
 * one fetch, so N parallel blob pulls cost one token request.
 */
class TokenCache {
    now;
    entries = new Map();
    pending = new Map();
    constructor(now = Date.now) {
        this.now = now;
    }
    static key(registry, scopes) {
        return `${registry}|${[...scopes].sort().join(' ')}`;
    }
    peek(key) {
        const entry = this.entries.get(key);
        if (entry === undefined)
            return undefined;
        if (entry.expiresAt <= this.now()) {
            this.entries.delete(key);
            return undefined;
        }
        return entry.token;
    }
    invalidate(key, token) {
        if (token === undefined || this.entries.get(key)?.token === token)
            this.entries.delete(key);
    }
    async get(key, fetch) {
        const cached = this.peek(key);
        if (cached !== undefined)
            return cached;
        let pending = this.pending.get(key);
        if (pending === undefined) {
            pending = fetch().then((entry) => {
                this.entries.set(key, entry);
                this.pending.delete(key);
                return entry;
            }, (error) => {
                this.pending.delete(key);
                throw error;
            });
            this.pending.set(key, pending);
        }
        return (await pending).token;
    }
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/image/registry/client.js

















const DEFAULT_MAX_CONCURRENCY = 6;
const MAX_REDIRECTS = 5;
const MAX_PAGES = 1000;
const MAX_TAG_LIST_BYTES = 16 * 1024 * 1024;
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/**
 * The OCI distribution API, read side. Every request goes through one path: concurrency slot,
 * auth (challenge → credentials → token), redirects (Authorization only to its own host),
 * retries, and errors that name the registry, repository and status but never a secret.
 */
class RegistryClient {
    transport;
    limit;
    retry;
    credentials;
    tokens = new TokenCache();
    /** The last challenge each API host sent, so later requests authenticate up front. */
    challenges = new Map();
    credentialLookups = new Map();
    signal;
    maxManifestBytes;
    constructor(options = {}) {
        this.transport = new http/* HttpTransport */.G5({
            ...(options.insecureRegistries !== undefined && { insecureRegistries: options.insecureRegistries }),
            ...(options.requestTimeoutMs !== undefined && { requestTimeoutMs: options.requestTimeoutMs }),
            ...(options.userAgent !== undefined && { userAgent: options.userAgent }),
            ...(options.signal !== undefined && { signal: options.signal }),
            ...(options.pool !== undefined && { pool: options.pool }),
        });
        this.limit = (0,p_limit/* default */.A)(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
        this.retry = { ...retry/* DEFAULT_RETRY_POLICY */.cO, ...options.retry };
        this.credentials = options.credentials ?? credentials/* noCredentials */.gT;
        this.maxManifestBytes = options.maxManifestBytes ?? source/* DEFAULT_MAX_MANIFEST_BYTES */.n;
        this.signal = options.signal;
    }
    // ---- manifests ---------------------------------------------------------------------------
    async getManifest(repo, tagOrDigest) {
        const byDigest = checkSelector(repo, tagOrDigest);
        const what = `manifest ${describe(repo, tagOrDigest)}`;
        return this.call(target(repo, what), `/v2/${repo.repository}/manifests/${tagOrDigest}`, {
            method: 'GET',
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY },
        }, async (response) => {
            if (response.status !== 200)
                throw await this.failure(response, what, 'MANIFEST_NOT_FOUND');
            const bytes = await (0,http/* readBody */.x8)(response, this.maxManifestBytes, what);
            // Media type first: a schema 1 manifest's registry digest covers its unsigned payload only,
            // so it would otherwise surface as a confusing digest mismatch.
            const mediaType = (0,manifest_type/* resolveManifestMediaType */._1)((0,http/* headerValue */.Z)(response.headers, 'content-type'), bytes, what);
            // Shape-checked here so no caller walks a document that is not what its type says.
            if ((0,media_types/* isIndexMediaType */.$$)(mediaType))
                (0,parse_json/* parseJson */.q)(schema/* imageIndexSchema */.jl, bytes, what, 'MANIFEST_INVALID');
            else
                (0,parse_json/* parseJson */.q)(schema/* imageManifestSchema */.gT, bytes, what, 'MANIFEST_INVALID');
            if (byDigest) {
                (0,image_digest/* verifyDigest */.Ub)(bytes, tagOrDigest, what);
                return { mediaType, digest: tagOrDigest, bytes };
            }
            const digest = (0,image_digest/* digestOf */.ol)(bytes);
            const claimed = (0,http/* headerValue */.Z)(response.headers, 'docker-content-digest');
            if (claimed !== undefined && claimed !== '') {
                const { algorithm } = (0,image_digest/* parseDigest */.m)(claimed);
                const actual = algorithm === 'sha256' ? digest : (0,image_digest/* digestOf */.ol)(bytes, algorithm);
                if (actual !== claimed) {
                    throw new errors/* DrydockError */.Td('DIGEST_MISMATCH', `${what}: the registry says Docker-Content-Digest ${claimed} but the bytes it sent hash to ${actual}`);
                }
            }
            return { mediaType, digest, bytes };
        });
    }
    /** Digest, media type and size without downloading (Docker Hub does not count HEADs against pull limits). */
    async headManifest(repo, tagOrDigest) {
        const byDigest = checkSelector(repo, tagOrDigest);
        const what = `manifest ${describe(repo, tagOrDigest)}`;
        const head = await this.call(target(repo, what), `/v2/${repo.repository}/manifests/${tagOrDigest}`, {
            method: 'HEAD',
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY },
        }, async (response) => {
            if (response.status !== 200)
                throw await this.failure(response, what, 'MANIFEST_NOT_FOUND');
            await (0,http/* discardBody */.LL)(response.body);
            const digest = (0,http/* headerValue */.Z)(response.headers, 'docker-content-digest');
            const mediaType = (0,manifest_type/* bareContentType */.Ei)((0,http/* headerValue */.Z)(response.headers, 'content-type'));
            const size = Number((0,http/* headerValue */.Z)(response.headers, 'content-length'));
            if (digest === undefined || !(0,image_digest/* isDigest */.Bc)(digest) || !(0,manifest_type/* isKnownManifestMediaType */.Dq)(mediaType) || !Number.isSafeInteger(size)) {
                return undefined; // not enough said: fall back to GET and hash it ourselves
            }
            if (byDigest && digest !== tagOrDigest) {
                if ((0,image_digest/* parseDigest */.m)(digest).algorithm === (0,image_digest/* parseDigest */.m)(tagOrDigest).algorithm) {
                    throw new errors/* DrydockError */.Td('DIGEST_MISMATCH', `${what}: the registry answered for digest ${digest}`);
                }
                return { digest: tagOrDigest, mediaType: mediaType, size };
            }
            return { digest, mediaType: mediaType, size };
        });
        if (head !== undefined)
            return head;
        const manifest = await this.getManifest(repo, tagOrDigest);
        return { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.bytes.length };
    }
    // ---- blobs -------------------------------------------------------------------------------
    /** A stream that errors at its end unless the bytes match the descriptor's digest and size. */
    async openBlob(repo, descriptor) {
        (0,image_digest/* parseDigest */.m)(descriptor.digest);
        checkRepository(repo);
        const what = `blob ${descriptor.digest} of ${repo.registry}/${repo.repository}`;
        return this.call(target(repo, what), `/v2/${repo.repository}/blobs/${descriptor.digest}`, { method: 'GET' }, async (response) => {
            if (response.status !== 200)
                throw await this.failure(response, what, 'BLOB_NOT_FOUND');
            const declared = Number((0,http/* headerValue */.Z)(response.headers, 'content-length'));
            if (Number.isSafeInteger(declared) && declared !== descriptor.size) {
                (0,http/* abandonBody */.eh)(response.body);
                throw new errors/* DrydockError */.Td('DIGEST_MISMATCH', `${what}: the registry sends ${declared} bytes but the descriptor declares ${descriptor.size}`);
            }
            const verifier = new image_digest/* DigestVerifier */.Do(descriptor.digest, what, descriptor.size);
            const body = response.body;
            let received = 0;
            body.on('data', (chunk) => {
                received += chunk.length;
            });
            body.on('error', (error) => {
                verifier.destroy((0,http/* registryIdleError */.Q)(error, response.url, what, `, after ${received} of ${descriptor.size} bytes`) ??
                    new errors/* DrydockError */.Td('REGISTRY_UNREACHABLE', `${what}: the download from ${response.url.host} broke off after ${received} of ${descriptor.size} bytes`, { cause: error }));
            });
            // a consumer that stops reading must free the connection
            verifier.on('close', () => {
                if (!body.destroyed)
                    body.destroy();
            });
            body.pipe(verifier);
            return verifier;
        });
    }
    /** A small blob (config, signature payload) read whole and verified. */
    async readBlob(repo, descriptor, maxBytes = this.maxManifestBytes) {
        const what = `blob ${descriptor.digest} of ${repo.registry}/${repo.repository}`;
        if (descriptor.size > maxBytes) {
            throw new errors/* DrydockError */.Td('MANIFEST_INVALID', `${what} is ${descriptor.size} bytes, over the ${maxBytes}-byte limit for content read whole`);
        }
        const stream = await this.openBlob(repo, descriptor);
        const chunks = [];
        for await (const chunk of stream)
            chunks.push(chunk);
        return Buffer.concat(chunks);
    }
    // ---- listings ----------------------------------------------------------------------------
    async listTags(repo) {
        checkRepository(repo);
        const what = `tag list of ${repo.registry}/${repo.repository}`;
        const tags = [];
        let path = `/v2/${repo.repository}/tags/list`;
        for (let page = 0; path !== undefined; page++) {
            if (page >= MAX_PAGES)
                throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${what}: more than ${MAX_PAGES} pages`);
            const result = await this.call(target(repo, what), path, { method: 'GET', headers: { accept: 'application/json' } }, async (response) => {
                if (response.status !== 200)
                    throw await this.failure(response, what, 'MANIFEST_NOT_FOUND');
                const bytes = await (0,http/* readBody */.x8)(response, MAX_TAG_LIST_BYTES, what, 'REGISTRY_ERROR');
                const list = (0,parse_json/* parseJson */.q)(registry_schema/* tagListSchema */.Ah, bytes, what, 'REGISTRY_ERROR');
                return { items: list.tags ?? [], next: nextPage(response, what) };
            });
            tags.push(...result.items);
            path = result.next;
        }
        return tags;
    }
    /**
     * Manifests whose `subject` is `digest` (signatures, SBOMs, attestations). The OCI 1.1 referrers
     * API when the registry has it; otherwise the referrers tag schema (`sha256-<hex>` index).
     */
    async referrers(repo, digest, artifactType) {
        const { algorithm, hex } = (0,image_digest/* parseDigest */.m)(digest);
        checkRepository(repo);
        const what = `referrers of ${repo.registry}/${repo.repository}@${digest}`;
        const found = [];
        let path = `/v2/${repo.repository}/referrers/${digest}` + (artifactType !== undefined ? `?artifactType=${encodeURIComponent(artifactType)}` : '');
        for (let page = 0; path !== undefined; page++) {
            if (page >= MAX_PAGES)
                throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${what}: more than ${MAX_PAGES} pages`);
            const result = await this.call(target(repo, what), path, { method: 'GET', headers: { accept: media_types/* MediaType */.zu.ociIndex } }, async (response) => {
                // The spec forbids 404 from a registry that has the API, so 404 means "no API here".
                if (response.status === 404 && page === 0) {
                    await (0,http/* discardBody */.LL)(response.body);
                    return undefined;
                }
                if (response.status !== 200)
                    throw await this.failure(response, what);
                const bytes = await (0,http/* readBody */.x8)(response, this.maxManifestBytes, what);
                const index = (0,parse_json/* parseJson */.q)(schema/* imageIndexSchema */.jl, bytes, what, 'MANIFEST_INVALID');
                return { items: index.manifests, next: nextPage(response, what) };
            });
            if (result === undefined)
                return this.referrersFromTag(repo, (0,referrers/* referrersTag */.L)(algorithm, hex), artifactType);
            found.push(...result.items);
            path = result.next;
        }
        return (0,referrers/* filterByArtifactType */.U)(found, artifactType);
    }
    async referrersFromTag(repo, tag, artifactType) {
        let manifest;
        try {
            manifest = await this.getManifest(repo, tag);
        }
        catch (error) {
            if (error instanceof errors/* DrydockError */.Td && error.code === 'MANIFEST_NOT_FOUND')
                return [];
            throw error;
        }
        const what = `referrers tag ${describe(repo, tag)}`;
        if (!(0,media_types/* isIndexMediaType */.$$)(manifest.mediaType)) {
            throw new errors/* DrydockError */.Td('MANIFEST_INVALID', `${what} is a ${manifest.mediaType}, not an image index`);
        }
        return (0,referrers/* filterByArtifactType */.U)((0,parse_json/* parseJson */.q)(schema/* imageIndexSchema */.jl, manifest.bytes, what, 'MANIFEST_INVALID').manifests, artifactType);
    }
    /** Is the registry there, speaking the distribution API, and do our credentials (if any) work? */
    async ping(registry) {
        const what = `registry ${registry}`;
        return this.call({ registry, what }, '/v2/', { method: 'GET' }, async (response) => {
            if (response.status !== 200)
                throw await this.failure(response, what);
            await (0,http/* discardBody */.LL)(response.body);
            const apiVersion = (0,http/* headerValue */.Z)(response.headers, 'docker-distribution-api-version');
            return apiVersion !== undefined ? { apiVersion } : {};
        });
    }
    async close() {
        await this.transport.close();
    }
    // ---- the request path --------------------------------------------------------------------
    /**
     * One API call: a concurrency slot, then the request with whatever authorization we already
     * know for the host; on 401 the challenge is answered once and the request sent again.
     * `handle` runs inside the slot and owns the response body.
     */
    call(t, path, options, handle) {
        return this.limit(async () => {
            const host = (0,reference/* apiHost */.nz)(t.registry);
            const url = new URL(path, this.transport.baseUrl(host));
            const scopes = t.repository !== undefined ? [`repository:${t.repository}:pull`] : [];
            const known = this.challenges.get(host);
            let authorization = known !== undefined ? await this.authorize(t, host, scopes, known) : undefined;
            let response = await this.follow(url, options, authorization, t.what);
            if (response.status === 401) {
                const challenge = pickChallenge(parseWwwAuthenticate((0,http/* headerValues */.UE)(response.headers, 'www-authenticate')));
                const detail = await (0,http/* readErrorBody */.Nk)(response);
                if (challenge === undefined) {
                    throw new errors/* DrydockError */.Td('AUTH_FAILED', `${t.what}: ${host} requires authentication but sent no Basic or Bearer challenge${detail ? ` (${detail})` : ''}`);
                }
                if (authorization?.startsWith('Bearer '))
                    this.tokens.invalidate(TokenCache.key(host, scopes), authorization.slice(7));
                this.challenges.set(host, challenge);
                authorization = await this.authorize(t, host, scopes, challenge);
                response = await this.follow(url, options, authorization, t.what);
                if (response.status === 401) {
                    const again = await (0,http/* readErrorBody */.Nk)(response);
                    throw await this.authFailed(t, again || detail);
                }
            }
            if (response.status === 403) {
                const detail = await (0,http/* readErrorBody */.Nk)(response);
                throw await this.authFailed(t, detail, 'denied access');
            }
            return handle(response);
        });
    }
    async authFailed(t, detail, verb = 'refused') {
        const credential = await this.credentialFor(t.registry).catch(() => undefined);
        const who = credential === undefined
            ? 'anonymous access (no credentials found for it)'
            : `the credentials${credential.username !== undefined ? ` of user "${credential.username}"` : ''}${credential.source ? ` (from ${credential.source})` : ''}`;
        const repository = t.repository !== undefined ? ` to repository ${t.repository}` : '';
        return new errors/* DrydockError */.Td('AUTH_FAILED', `${t.what}: registry ${t.registry} ${verb} ${who}${repository}${detail ? `: ${detail}` : ''}`);
    }
    /** Authorization for a host's challenge: Basic from credentials, Bearer from the realm (or a registry token). */
    async authorize(t, host, scopes, challenge) {
        const credential = await this.credentialFor(t.registry);
        if (challenge.scheme === 'basic') {
            if (credential?.username !== undefined && credential.password !== undefined) {
                return basicAuthorization(credential.username, credential.password);
            }
            throw new errors/* DrydockError */.Td('AUTH_FAILED', `${t.what}: registry ${t.registry} requires a username and password${t.repository ? ` for repository ${t.repository}` : ''}, and none were found (explicit credentials, docker config)`);
        }
        if (credential?.registryToken !== undefined)
            return `Bearer ${credential.registryToken}`;
        const wanted = [...new Set([...scopes, ...challengeScopes(challenge)])];
        const key = TokenCache.key(host, scopes.length > 0 ? scopes : wanted);
        const token = await this.tokens.get(key, () => fetchBearerToken(this.tokenExchange(host), {
            challenge,
            scopes: wanted,
            credential,
            registry: t.registry,
            ...(t.repository !== undefined && { repository: t.repository }),
        }));
        return `Bearer ${token}`;
    }
    credentialFor(registry) {
        let lookup = this.credentialLookups.get(registry);
        if (lookup === undefined) {
            lookup = this.credentials.get(registry);
            this.credentialLookups.set(registry, lookup);
            lookup.catch(() => this.credentialLookups.delete(registry));
        }
        return lookup;
    }
    /**
     * The realm is named by the registry's own challenge, so its credentials may go there. A realm
     * over plain HTTP is accepted only when the registry itself is an allowed insecure one.
     */
    tokenExchange(registryHost) {
        return async (req) => {
            const { authorization, ...headers } = req.headers;
            const response = await this.follow(req.url, { method: req.method, headers, ...(req.body !== undefined && { body: req.body }), allowHttp: this.transport.isInsecure(registryHost) }, authorization, `a token from ${req.url.host}`);
            const text = await (0,http/* readBody */.x8)(response, MAX_TOKEN_RESPONSE_BYTES, `token response from ${req.url.host}`, 'REGISTRY_ERROR');
            return { status: response.status, headers: response.headers, text };
        };
    }
    /**
     * Send and follow redirects ourselves: each hop must pass the transport policy, HTTPS never
     * drops to HTTP, and Authorization goes only to the host it was made for (blob downloads are
     * redirected to storage elsewhere, which must not see the registry's token).
     */
    async follow(url, options, authorization, what) {
        const authHost = (0,http/* hostKey */._9)(url);
        let current = url;
        let method = options.method;
        let body = options.body;
        for (let hop = 0;; hop++) {
            this.transport.checkUrl(current, hop === 0 && options.allowHttp === true);
            const headers = { ...options.headers };
            if (authorization !== undefined && (0,http/* hostKey */._9)(current) === authHost)
                headers.authorization = authorization;
            const request = { method, url: current, headers, ...(body !== undefined && { body }) };
            let response;
            try {
                response = await (0,retry/* sendWithRetry */.lx)(() => this.transport.send(request), this.retry, this.signal);
            }
            catch (error) {
                throw this.unreachable(error, current, what);
            }
            if (!REDIRECT_STATUSES.has(response.status))
                return response;
            await (0,http/* discardBody */.LL)(response.body);
            const location = (0,http/* headerValue */.Z)(response.headers, 'location');
            if (location === undefined || location === '') {
                throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${what}: ${(0,http/* redactUrl */.BO)(current)} answered HTTP ${response.status} with no Location`);
            }
            if (hop >= MAX_REDIRECTS) {
                throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${what}: more than ${MAX_REDIRECTS} redirects (last from ${(0,http/* redactUrl */.BO)(current)})`);
            }
            let next;
            try {
                next = new URL(location, current);
            }
            catch {
                throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${what}: ${(0,http/* redactUrl */.BO)(current)} redirected to an invalid URL`);
            }
            if (current.protocol === 'https:' && next.protocol !== 'https:') {
                throw new errors/* DrydockError */.Td('INSECURE_REFUSED', `${what}: ${current.host} redirected from HTTPS to ${(0,http/* redactUrl */.BO)(next)}; refusing the downgrade`);
            }
            if (method === 'POST' && response.status !== 307 && response.status !== 308) {
                method = 'GET';
                body = undefined;
            }
            current = next;
        }
    }
    unreachable(error, url, what) {
        if (error instanceof errors/* DrydockError */.Td)
            return error;
        if (this.signal?.aborted)
            return this.signal.reason ?? error;
        const idle = (0,http/* registryIdleError */.Q)(error, url, what);
        if (idle)
            return idle;
        const attempts = error instanceof retry/* NetworkFailure */.pM ? error.attempts : 1;
        const cause = error instanceof retry/* NetworkFailure */.pM ? error.cause : error;
        const { code, message } = (cause ?? {});
        if (url.protocol === 'https:' && (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || (typeof message === 'string' && /wrong version number/.test(message)))) {
            // OpenSSL read an HTTP answer where a TLS record should be: the registry speaks plain HTTP.
            // The raw OpenSSL text helps nobody, so it is not kept as the cause.
            return new errors/* DrydockError */.Td('INSECURE_REFUSED', `registry ${url.host} answered plain HTTP; pass --insecure-registry ${url.host}`);
        }
        const reason = typeof code === 'string' ? code : typeof message === 'string' ? message : String(cause);
        return new errors/* DrydockError */.Td('REGISTRY_UNREACHABLE', `${what}: cannot reach ${(0,http/* redactUrl */.BO)(url)} (${reason})${attempts > 1 ? ` after ${attempts} attempts` : ''}`, { cause });
    }
    async failure(response, what, notFound) {
        const detail = await (0,http/* readErrorBody */.Nk)(response);
        const code = response.status === 404 && notFound !== undefined ? notFound : 'REGISTRY_ERROR';
        const tries = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
        return new errors/* DrydockError */.Td(code, `${what}: ${(0,http/* redactUrl */.BO)(response.url)} answered HTTP ${response.status}${tries}${detail ? `: ${detail}` : ''}`);
    }
}
function target(repo, what) {
    return { registry: repo.registry, repository: repo.repository, what };
}
function describe(repo, tagOrDigest) {
    return `${repo.registry}/${repo.repository}${(0,image_digest/* isDigest */.Bc)(tagOrDigest) ? '@' : ':'}${tagOrDigest}`;
}
function checkRepository(repo) {
    if (!REPOSITORY.test(repo.repository) || repo.repository.length > 255) {
        throw new errors/* DrydockError */.Td('REFERENCE_INVALID', `repository "${repo.repository}" is not a valid repository name`);
    }
}
/** true when the selector is a digest; throws on anything that is neither a tag nor a digest. */
function checkSelector(repo, tagOrDigest) {
    checkRepository(repo);
    if ((0,image_digest/* isDigest */.Bc)(tagOrDigest))
        return true;
    if (image_digest/* TAG_PATTERN */.A0.test(tagOrDigest))
        return false;
    throw new errors/* DrydockError */.Td('REFERENCE_INVALID', `"${tagOrDigest}" is neither a tag nor a digest (for ${repo.registry}/${repo.repository})`);
}
/** The `rel="next"` target of a Link header, as a path on the same host (pagination never leaves it). */
function nextPage(response, what) {
    for (const header of (0,http/* headerValues */.UE)(response.headers, 'link')) {
        for (const part of header.split(/,(?=\s*<)/)) {
            const match = /^\s*<([^>]*)>(.*)$/.exec(part);
            if (!match || !/;\s*rel="?next"?/i.test(match[2]))
                continue;
            let next;
            try {
                next = new URL(match[1], response.url);
            }
            catch {
                throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${what}: Link header names an invalid URL`);
            }
            if ((0,http/* hostKey */._9)(next) !== (0,http/* hostKey */._9)(response.url) || next.protocol !== response.url.protocol) {
                throw new errors/* DrydockError */.Td('REGISTRY_ERROR', `${what}: the next page is on another host (${next.host}); not following it`);
            }
            return `${next.pathname}${next.search}`;
        }
    }
    return undefined;
}


/***/ }),

/***/ 99218:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ve: () => (/* binding */ explicitCredentials),
/* harmony export */   a: () => (/* binding */ chainCredentials),
/* harmony export */   gT: () => (/* binding */ noCredentials),
/* harmony export */   jV: () => (/* binding */ normaliseRegistryKey),
/* harmony export */   yS: () => (/* binding */ memoiseCredentials)
/* harmony export */ });
/* unused harmony export hasSecret */
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(90643);

/**
 * The registry a credential key names: `https://index.docker.io/v1/` → `docker.io`,
 * `https://ghcr.io/v2/` → `ghcr.io`, `Registry.Example.com:5000` → `registry.example.com:5000`.
 */
function normaliseRegistryKey(key) {
    let host = key.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    const slash = host.indexOf('/');
    if (slash !== -1)
        host = host.slice(0, slash);
    return (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .canonicalRegistry */ .i7)(host);
}
function hasSecret(credential) {
    return (credential !== undefined &&
        ((credential.username !== undefined && credential.password !== undefined) ||
            credential.identityToken !== undefined ||
            credential.registryToken !== undefined));
}
/** Credentials the platform was given (service connections, login actions, task inputs). */
function explicitCredentials(list, source = 'explicit credentials') {
    const byRegistry = new Map();
    for (const entry of list) {
        const key = normaliseRegistryKey(entry.registry);
        if (byRegistry.has(key))
            continue; // first one given wins, as with every other provider
        const credential = { source };
        if (entry.username !== undefined)
            credential.username = entry.username;
        if (entry.password !== undefined)
            credential.password = entry.password;
        if (entry.identityToken !== undefined)
            credential.identityToken = entry.identityToken;
        if (entry.registryToken !== undefined)
            credential.registryToken = entry.registryToken;
        if (hasSecret(credential))
            byRegistry.set(key, credential);
    }
    return { get: async (registry) => byRegistry.get(normaliseRegistryKey(registry)) };
}
/** First provider with a usable credential wins. */
function chainCredentials(...providers) {
    return {
        async get(registry) {
            for (const provider of providers) {
                const credential = await provider.get(registry);
                if (hasSecret(credential))
                    return credential;
            }
            return undefined;
        },
    };
}
/** Ask each registry once per run: helpers are processes and ACR exchanges are round trips. */
function memoiseCredentials(provider) {
    const seen = new Map();
    return {
        get(registry) {
            const key = normaliseRegistryKey(registry);
            let pending = seen.get(key);
            if (pending === undefined) {
                pending = provider.get(registry);
                seen.set(key, pending);
                // a failed lookup may be retried (e.g. after the user installs the helper)
                pending.catch(() => seen.delete(key));
            }
            return pending;
        },
    };
}
const noCredentials = { get: async () => undefined };


/***/ }),

/***/ 1086:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ registryCredentials)
/* harmony export */ });
/* harmony import */ var _acr_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(60022);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(99218);
/* harmony import */ var _docker_config_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(47841);



/** The chain every command uses: explicit, then docker config (auths, helpers), then ACR via Azure identity. */
function registryCredentials(options = {}) {
    const providers = [];
    if (options.explicit !== undefined && options.explicit.length > 0)
        providers.push((0,_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .explicitCredentials */ .Ve)(options.explicit));
    if (options.dockerConfig !== false)
        providers.push((0,_docker_config_js__WEBPACK_IMPORTED_MODULE_2__/* .dockerConfigCredentials */ .D)(options.dockerConfig ?? {}));
    if (options.acr !== false)
        providers.push((0,_acr_js__WEBPACK_IMPORTED_MODULE_0__/* .acrCredentials */ .ly)(options.acr ?? {}));
    return (0,_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .memoiseCredentials */ .yS)((0,_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .chainCredentials */ .a)(...providers));
}


/***/ }),

/***/ 47841:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ dockerConfigCredentials)
/* harmony export */ });
/* unused harmony exports dockerConfigPath, loadDockerConfig, credentialFromAuthEntry, runCredentialHelper */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(51455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(40489);
/* harmony import */ var _parse_json_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(24626);
/* harmony import */ var _credentials_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(99218);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(32369);








function dockerConfigPath(env = process.env) {
    const dir = env.DOCKER_CONFIG;
    return dir !== undefined && dir !== '' ? (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'config.json') : (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_2__.homedir)(), '.docker', 'config.json');
}
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
async function loadDockerConfig(path) {
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(path, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .DrydockError */ .Td('INPUT_INVALID', `docker config ${path} cannot be read: ${error.message}`);
    }
    if (text.trim() === '')
        return undefined;
    return (0,_parse_json_js__WEBPACK_IMPORTED_MODULE_5__/* .parseJson */ .q)(_schema_js__WEBPACK_IMPORTED_MODULE_7__/* .dockerConfigSchema */ .mw, text, `docker config ${path}`, 'INPUT_INVALID');
}
/** An `auths` entry as a credential; undefined when the entry holds nothing (a credsStore placeholder). */
function credentialFromAuthEntry(entry, what) {
    const credential = { source: what };
    if (entry.auth !== undefined && entry.auth !== '') {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon <= 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .DrydockError */ .Td('INPUT_INVALID', `${what}: "auth" is not base64 of "username:password"`);
        credential.username = decoded.slice(0, colon);
        credential.password = decoded.slice(colon + 1);
    }
    else if (entry.username !== undefined && entry.username !== '' && entry.password !== undefined) {
        credential.username = entry.username;
        credential.password = entry.password;
    }
    if (entry.identitytoken !== undefined && entry.identitytoken !== '')
        credential.identityToken = entry.identitytoken;
    if (entry.registrytoken !== undefined && entry.registrytoken !== '')
        credential.registryToken = entry.registrytoken;
    return credential.password !== undefined || credential.identityToken !== undefined || credential.registryToken !== undefined
        ? credential
        : undefined;
}
/** The key a config uses for `registry`, in the spelling docker login wrote it. */
function findKey(keys, registry) {
    const want = (0,_credentials_js__WEBPACK_IMPORTED_MODULE_6__/* .normaliseRegistryKey */ .jV)(registry);
    for (const key of keys)
        if ((0,_credentials_js__WEBPACK_IMPORTED_MODULE_6__/* .normaliseRegistryKey */ .jV)(key) === want)
            return key;
    return undefined;
}
/** The server name a helper was given at login: Docker Hub's legacy URL, otherwise the host. */
function helperServerUrl(registry) {
    return (0,_credentials_js__WEBPACK_IMPORTED_MODULE_6__/* .normaliseRegistryKey */ .jV)(registry) === 'docker.io' ? DOCKER_HUB_SERVER : (0,_credentials_js__WEBPACK_IMPORTED_MODULE_6__/* .normaliseRegistryKey */ .jV)(registry);
}
function dockerConfigCredentials(options = {}) {
    const path = options.path ?? dockerConfigPath(options.env);
    let loaded;
    const helperOptions = {
        timeoutMs: options.helperTimeoutMs,
        configPath: path,
        ...(options.env !== undefined && { env: options.env }),
    };
    return {
        async get(registry) {
            loaded ??= loadDockerConfig(path);
            const config = await loaded;
            if (config === undefined)
                return undefined;
            const helperKey = findKey(Object.keys(config.credHelpers ?? {}), registry);
            if (helperKey !== undefined) {
                const helper = config.credHelpers[helperKey];
                return runCredentialHelper(helper, helperKey, helperOptions);
            }
            const authKey = findKey(Object.keys(config.auths ?? {}), registry);
            if (authKey !== undefined) {
                const credential = credentialFromAuthEntry(config.auths[authKey], `docker config ${path} (auths."${authKey}")`);
                if (credential !== undefined)
                    return credential;
            }
            if (config.credsStore !== undefined && config.credsStore !== '') {
                return runCredentialHelper(config.credsStore, authKey ?? helperServerUrl(registry), helperOptions);
            }
            return undefined;
        },
    };
}
/**
 * `docker-credential-<name> get` with the server URL on stdin, as the docker-credential-helpers
 * protocol says. "credentials not found" means no credential; any other failure is an error.
 */
async function runCredentialHelper(name, serverUrl, options = {}) {
    const where = options.configPath ? ` (named in ${options.configPath})` : '';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .DrydockError */ .Td('INPUT_INVALID', `credential helper name "${name}"${where} is not a plain program name`);
    }
    const program = `docker-credential-${name}`;
    const { code, stdout, stderr } = await new Promise((resolve, reject) => {
        const timeoutMs = options.timeoutMs ?? 30_000;
        // Our own timer rather than spawn's `timeout`, which is left running when the program is missing.
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        timer.unref();
        const out = [];
        const err = [];
        let size = 0;
        child.stdout.on('data', (chunk) => {
            size += chunk.length;
            if (size <= 1024 * 1024)
                out.push(chunk);
        });
        child.stderr.on('data', (chunk) => err.push(chunk));
        child.on('error', (error) => {
            clearTimeout(timer);
            if (error.code === 'ENOENT') {
                reject(new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .DrydockError */ .Td('AUTH_FAILED', `credential helper ${program}${where} is not installed (not found on PATH)`));
            }
            else {
                reject(new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .DrydockError */ .Td('AUTH_FAILED', `credential helper ${program}${where} could not be run: ${error.message}`));
            }
        });
        child.on('close', (exitCode, signal) => {
            clearTimeout(timer);
            if (signal === 'SIGKILL' && exitCode === null) {
                reject(new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .DrydockError */ .Td('AUTH_FAILED', `credential helper ${program}${where} did not answer within ${timeoutMs} ms`));
                return;
            }
            resolve({ code: exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
        });
        child.stdin.on('error', () => {
            // the helper may exit before reading stdin; its exit code tells the story
        });
        child.stdin.end(serverUrl);
    });
    if (code !== 0) {
        // Helpers print this exact text (docker-credential-helpers' ErrCredentialsNotFound).
        if (/credentials not found/i.test(stdout) || /credentials not found/i.test(stderr))
            return undefined;
        const said = (stderr.trim() || stdout.trim()).split('\n')[0]?.slice(0, 200) ?? '';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .DrydockError */ .Td('AUTH_FAILED', `credential helper ${program}${where} failed for ${serverUrl} (exit ${code})${said ? `: ${said}` : ''}`);
    }
    const output = (0,_parse_json_js__WEBPACK_IMPORTED_MODULE_5__/* .parseJson */ .q)(_schema_js__WEBPACK_IMPORTED_MODULE_7__/* .credentialHelperOutputSchema */ .Wt, stdout, `output of ${program} get`, 'AUTH_FAILED');
    // Helpers mark an identity token with the username "<token>".
    if (output.Username === '<token>')
        return { identityToken: output.Secret, source: program };
    return { username: output.Username, password: output.Secret, source: program };
}


/***/ }),

/***/ 55286:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ redactUrl),
/* harmony export */   G5: () => (/* binding */ HttpTransport),
/* harmony export */   LL: () => (/* binding */ discardBody),
/* harmony export */   Nk: () => (/* binding */ readErrorBody),
/* harmony export */   Q: () => (/* binding */ registryIdleError),
/* harmony export */   UE: () => (/* binding */ headerValues),
/* harmony export */   Z: () => (/* binding */ headerValue),
/* harmony export */   _9: () => (/* binding */ hostKey),
/* harmony export */   eh: () => (/* binding */ abandonBody),
/* harmony export */   qc: () => (/* binding */ describeRegistryErrors),
/* harmony export */   x8: () => (/* binding */ readBody)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(40489);
/* harmony import */ var _net_http_exchange_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(36366);
/* harmony import */ var _schema_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(32369);



const USER_AGENT = 'drydock/0.1';
/** `host:port` with the scheme's default port made explicit, so http://h and https://h differ. */
function hostKey(url) {
    const port = url.port !== '' ? url.port : url.protocol === 'http:' ? '80' : '443';
    return `${url.hostname.toLowerCase()}:${port}`;
}
/** A URL fit for an error message: presigned storage URLs carry secrets in their query. */
function redactUrl(url) {
    return `${url.protocol}//${url.host}${url.pathname}`;
}
function headerValue(headers, name) {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
}
function headerValues(headers, name) {
    const value = headers[name.toLowerCase()];
    if (value === undefined)
        return [];
    return Array.isArray(value) ? value : [value];
}
class HttpTransport {
    insecure;
    pool;
    ownsPool;
    timeoutMs;
    userAgent;
    signal;
    constructor(options = {}) {
        this.insecure = new Set((options.insecureRegistries ?? []).map((host) => host.toLowerCase()));
        this.timeoutMs = options.requestTimeoutMs ?? (0,_net_http_exchange_js__WEBPACK_IMPORTED_MODULE_1__/* .idleTimeoutMs */ .Sf)();
        this.ownsPool = options.pool === undefined;
        this.pool = options.pool ?? new _net_http_exchange_js__WEBPACK_IMPORTED_MODULE_1__/* .ConnectionPool */ .j2();
        this.userAgent = options.userAgent ?? USER_AGENT;
        this.signal = options.signal;
    }
    /** Registries listed as insecure are spoken to over plain HTTP; every other one over HTTPS. */
    isInsecure(host) {
        return this.insecure.has(host.toLowerCase());
    }
    baseUrl(host) {
        return new URL(`${this.isInsecure(host) ? 'http' : 'https'}://${host}`);
    }
    /**
     * Plain HTTP only to a listed host (or where the caller vouches for it, e.g. the token realm
     * an insecure registry names); anything else but http(s) never.
     */
    checkUrl(url, allowHttp = false) {
        if (url.protocol === 'https:')
            return;
        if (url.protocol === 'http:') {
            if (allowHttp || this.isInsecure(url.host))
                return;
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('INSECURE_REFUSED', `refusing plain HTTP to ${url.host}: add it to the insecure registries (--insecure-registry ${url.host}) to allow it`);
        }
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('INSECURE_REFUSED', `refusing ${url.protocol} URL ${redactUrl(url)}: only https (or http for insecure registries)`);
    }
    async send(req) {
        const response = await (0,_net_http_exchange_js__WEBPACK_IMPORTED_MODULE_1__/* .exchange */ .cv)({
            method: req.method,
            url: req.url,
            headers: { 'user-agent': this.userAgent, ...req.headers },
            ...(req.body !== undefined && { body: req.body }),
            timeoutMs: this.timeoutMs,
            ...(this.signal !== undefined && { signal: this.signal }),
            pool: this.pool,
        });
        return { ...response, url: req.url };
    }
    close() {
        if (this.ownsPool)
            this.pool.close();
        return Promise.resolve();
    }
}
/** Stop reading a body and close its connection; the stream reports that as an error nobody needs. */
function abandonBody(body) {
    body.on('error', () => undefined);
    body.destroy();
}
/** Throw the rest of a body away so the connection goes back to the pool. */
async function discardBody(body) {
    try {
        for await (const _chunk of body) {
            // drained
        }
    }
    catch {
        // a broken error body changes nothing about the outcome
    }
}
/**
 * Read a body whole, refusing more than `maxBytes` (checked against Content-Length first, then as
 * bytes arrive, so an oversized or lying response is never buffered).
 */
async function readBody(response, maxBytes, what, code = 'MANIFEST_INVALID') {
    const declared = Number(headerValue(response.headers, 'content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
        abandonBody(response.body);
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td(code, `${what} is ${declared} bytes, over the ${maxBytes}-byte limit`);
    }
    let body;
    try {
        body = await (0,_net_http_exchange_js__WEBPACK_IMPORTED_MODULE_1__/* .readBodyUpTo */ .jZ)(response.body, maxBytes);
    }
    catch (error) {
        const idle = registryIdleError(error, response.url, what);
        if (idle)
            throw idle;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('REGISTRY_UNREACHABLE', `${what}: the connection failed while reading the response from ${response.url.host}`, {
            cause: error,
        });
    }
    if (body === undefined)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td(code, `${what} is over the ${maxBytes}-byte limit`);
    return body;
}
/**
 * A registry that went silent, said in the words of what was being fetched; undefined when the
 * failure was something else. Its host and the thing asked for are what a user can act on; the
 * timeout error is not kept as the cause, since this says all it said.
 */
function registryIdleError(error, url, what, detail = '') {
    const idle = (0,_net_http_exchange_js__WEBPACK_IMPORTED_MODULE_1__/* .findHttpTimeout */ .jz)(error);
    if (!idle)
        return undefined;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('REGISTRY_UNREACHABLE', `registry ${url.host} sent nothing for ${(0,_net_http_exchange_js__WEBPACK_IMPORTED_MODULE_1__/* .formatSeconds */ .Xo)(idle.timeoutMs)} while fetching ${what}${detail} (${idle.phase})`);
}
/** `MANIFEST_UNKNOWN: manifest unknown; …` from a distribution error body, or '' when there is none. */
function describeRegistryErrors(body) {
    if (body.length === 0)
        return '';
    let value;
    try {
        value = JSON.parse(body.toString('utf8'));
    }
    catch {
        return '';
    }
    const parsed = _schema_js__WEBPACK_IMPORTED_MODULE_2__/* .registryErrorsSchema */ .wy.safeParse(value);
    if (!parsed.success || parsed.data.errors.length === 0)
        return '';
    return parsed.data.errors
        .slice(0, 5)
        .map((entry) => (entry.message ? `${entry.code}: ${entry.message}` : entry.code))
        .join('; ');
}
/** Read up to 64 KiB of an error body for its registry error codes. */
async function readErrorBody(response) {
    try {
        return describeRegistryErrors(await readBody(response, 64 * 1024, 'error body', 'REGISTRY_ERROR'));
    }
    catch {
        return '';
    }
}


/***/ }),

/***/ 58960:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dq: () => (/* binding */ isKnownManifestMediaType),
/* harmony export */   Ei: () => (/* binding */ bareContentType),
/* harmony export */   _1: () => (/* binding */ resolveManifestMediaType)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(40489);
/* harmony import */ var _media_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(830);


/**
 * A manifest's media type from what the registry said (Content-Type) and what the bytes say
 * (`mediaType`, or the shape of an OCI document written without one). The two must agree:
 * reading an index as an image, or the reverse, would walk the wrong thing.
 */
const KNOWN = new Set([_media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .MediaType */ .zu.ociIndex, _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .MediaType */ .zu.dockerManifestList, _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .MediaType */ .zu.ociManifest, _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .MediaType */ .zu.dockerManifest]);
const SCHEMA1 = new Set([
    'application/vnd.docker.distribution.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);
function isKnownManifestMediaType(mediaType) {
    return mediaType !== undefined && KNOWN.has(mediaType);
}
function schema1(what) {
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('MANIFEST_INVALID', `${what} is a Docker schema 1 manifest, which is unsupported (deprecated since 2017); push the image again with a current Docker or buildkit`);
}
/** Content-Type without parameters (`; charset=utf-8`), lowercased. */
function bareContentType(value) {
    const bare = value?.split(';')[0]?.trim().toLowerCase();
    return bare === '' ? undefined : bare;
}
function resolveManifestMediaType(contentType, bytes, what) {
    const declared = bareContentType(contentType);
    if (declared !== undefined && SCHEMA1.has(declared))
        throw schema1(what);
    let body;
    try {
        const parsed = JSON.parse(bytes.toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            throw new Error('not a JSON object');
        body = parsed;
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('MANIFEST_INVALID', `${what} is not valid JSON: ${error.message}`);
    }
    if (body.schemaVersion === 1)
        throw schema1(what);
    const inBody = typeof body.mediaType === 'string' ? body.mediaType : undefined;
    if (inBody !== undefined && SCHEMA1.has(inBody))
        throw schema1(what);
    let shape;
    if (inBody === undefined) {
        // OCI allows omitting mediaType; the shape then decides (config+layers vs manifests).
        if (Array.isArray(body.manifests))
            shape = _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .MediaType */ .zu.ociIndex;
        else if (body.config !== undefined && Array.isArray(body.layers))
            shape = _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .MediaType */ .zu.ociManifest;
    }
    const fromBody = inBody ?? shape;
    if (isKnownManifestMediaType(declared)) {
        if (inBody !== undefined && inBody !== declared) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('MANIFEST_INVALID', `${what}: the registry sent Content-Type ${declared} but the manifest says mediaType ${inBody}`);
        }
        if (inBody === undefined && shape !== undefined && isIndexShape(shape) !== isIndexShape(declared)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('MANIFEST_INVALID', `${what}: the registry sent Content-Type ${declared} but the document has the shape of ${shape}`);
        }
        return declared;
    }
    if (isKnownManifestMediaType(fromBody))
        return fromBody;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DrydockError */ .Td('MANIFEST_INVALID', `${what} has media type ${fromBody ?? declared ?? '(none)'}, which is not one of ${[...KNOWN].join(', ')}`);
}
function isIndexShape(mediaType) {
    return mediaType === _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .MediaType */ .zu.ociIndex || mediaType === _media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .MediaType */ .zu.dockerManifestList;
}


/***/ }),

/***/ 53658:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cO: () => (/* binding */ DEFAULT_RETRY_POLICY),
/* harmony export */   lx: () => (/* binding */ sendWithRetry),
/* harmony export */   pM: () => (/* binding */ NetworkFailure)
/* harmony export */ });
/* unused harmony exports isRetryableStatus, isRetryableNetworkError, parseRetryAfter, backoffDelay, retryDelay */
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58500);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(55286);


const DEFAULT_RETRY_POLICY = {
    maxAttempts: 4,
    baseDelayMs: 500,
    maxDelayMs: 10_000,
    maxRetryAfterMs: 60_000,
};
const RETRYABLE_NETWORK_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
]);
function isRetryableStatus(status) {
    // 501 and 505 say the server will never do it; every other 5xx may pass.
    return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}
function isRetryableNetworkError(error) {
    // duck-typed: errors from node internals may come from another realm (vm, jest)
    for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
        const code = current.code;
        if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code))
            return true;
        current = current.cause;
    }
    return false;
}
/** Retry-After as milliseconds: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
function parseRetryAfter(value, now = Date.now()) {
    if (value === undefined)
        return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    if (!/^[A-Za-z]{3},/.test(text))
        return undefined; // IMF-fixdate starts with the day name
    const date = Date.parse(text);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, date - now);
}
/** Exponential backoff with jitter in [½, 1] of the step, so parallel clients spread out. */
function backoffDelay(attempt, policy) {
    const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    const random = policy.random ?? Math.random;
    return Math.round(step * (0.5 + random() / 2));
}
function retryDelay(attempt, response, policy) {
    const retryAfter = response ? parseRetryAfter((0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .headerValue */ .Z)(response.headers, 'retry-after')) : undefined;
    if (retryAfter !== undefined)
        return Math.min(retryAfter, policy.maxRetryAfterMs);
    return backoffDelay(attempt, policy);
}
/** The request never got an answer; `cause` is what the network said. */
class NetworkFailure extends Error {
    attempts;
    constructor(cause, attempts) {
        super(typeof cause?.message === 'string' ? cause.message : String(cause), { cause });
        this.attempts = attempts;
        this.name = 'NetworkFailure';
    }
}
/**
 * Send until the answer is not worth retrying or the attempts run out. The last response is
 * returned whatever its status (the caller turns it into an error); the last network error is thrown.
 */
async function sendWithRetry(send, policy, signal) {
    for (let attempt = 1;; attempt++) {
        let response;
        try {
            response = await send();
        }
        catch (error) {
            if (attempt >= policy.maxAttempts || !isRetryableNetworkError(error) || signal?.aborted) {
                throw new NetworkFailure(error, attempt);
            }
            await (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_0__.setTimeout)(backoffDelay(attempt, policy), undefined, signal ? { signal } : undefined);
            continue;
        }
        if (attempt >= policy.maxAttempts || !isRetryableStatus(response.status))
            return { ...response, attempts: attempt };
        const delay = retryDelay(attempt, response, policy);
        await (0,_http_js__WEBPACK_IMPORTED_MODULE_1__/* .discardBody */ .LL)(response.body);
        await (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_0__.setTimeout)(delay, undefined, signal ? { signal } : undefined);
    }
}


/***/ }),

/***/ 32369:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ah: () => (/* binding */ tagListSchema),
/* harmony export */   Wt: () => (/* binding */ credentialHelperOutputSchema),
/* harmony export */   kS: () => (/* binding */ tokenResponseSchema),
/* harmony export */   mw: () => (/* binding */ dockerConfigSchema),
/* harmony export */   o3: () => (/* binding */ acrExchangeResponseSchema),
/* harmony export */   wy: () => (/* binding */ registryErrorsSchema)
/* harmony export */ });
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(92857);

/** Every piece of foreign JSON the registry client reads: registry replies, token servers, docker config, helpers. */
/** `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…","detail":…}]}` from the distribution spec. */
const registryErrorsSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    errors: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
        code: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
        message: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
    })),
});
/** Token servers answer with `token` (Docker) or `access_token` (OAuth2), sometimes both. */
const tokenResponseSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    token: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1).optional(),
    access_token: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1).optional(),
    expires_in: zod__WEBPACK_IMPORTED_MODULE_0__/* .number */ .aig().int().nonnegative().optional(),
    issued_at: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
    refresh_token: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
})
    .refine((value) => value.token !== undefined || value.access_token !== undefined, {
    message: 'neither "token" nor "access_token" is present',
});
const tagListSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    name: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    // distribution returns `null` for a repository without tags.
    tags: zod__WEBPACK_IMPORTED_MODULE_0__/* .array */ .YOg(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP()).nullable(),
});
/** `~/.docker/config.json`: only the parts that hold credentials. */
const dockerConfigSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    auths: zod__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
        auth: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
        username: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
        password: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
        identitytoken: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
        registrytoken: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
    })
        .passthrough())
        .optional(),
    credHelpers: zod__WEBPACK_IMPORTED_MODULE_0__/* .record */ .g1P(zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(), zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP()).optional(),
    credsStore: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
})
    .passthrough();
/** What `docker-credential-<name> get` prints. */
const credentialHelperOutputSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    ServerURL: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().optional(),
    Username: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
    Secret: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP(),
});
/** `POST /oauth2/exchange` on an Azure Container Registry. */
const acrExchangeResponseSchema = zod__WEBPACK_IMPORTED_MODULE_0__/* .object */ .Ikc({
    refresh_token: zod__WEBPACK_IMPORTED_MODULE_0__/* .string */ .YjP().min(1),
});


/***/ })

};
