export const id = 332;
export const ids = [332];
export const modules = {

/***/ 79332:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OSV_EXPORT_BASE: () => (/* reexport safe */ _db_fetch_inputs_js__WEBPACK_IMPORTED_MODULE_9__.s),
/* harmony export */   dbFetch: () => (/* binding */ dbFetch)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(57075);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(46466);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(40489);
/* harmony import */ var _net_http_exchange_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(36366);
/* harmony import */ var _vuln_index_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(44643);
/* harmony import */ var _db_fetch_inputs_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(26400);
/**
 * `drydock db fetch DIR`: OSV's public export, one `all.zip` per ecosystem, downloaded into the
 * layout `--db osv-offline:DIR` reads, on a machine that has the internet, for machines that do not.
 * Each archive streams to a temporary file in DIR, is checked to be a whole zip (every entry
 * inflated and CRC-checked) and only then renamed into place: a failed or damaged download leaves
 * the previous copy, and nothing else, in DIR.
 */











/** The socket may sit idle this long (connecting, waiting for headers, mid-body). */
const IDLE_TIMEOUT_MS = 60_000;
const dbFetch = async (platform) => {
    const dir = platform.getInput('dir', { required: true });
    const base = readBase(platform.getInput('url') || _db_fetch_inputs_js__WEBPACK_IMPORTED_MODULE_9__/* .OSV_EXPORT_BASE */ .s);
    const asked = platform.getListInput('ecosystem');
    const ecosystems = asked.length > 0 ? [...new Set(asked)] : [..._vuln_index_js__WEBPACK_IMPORTED_MODULE_8__/* .EXPORT_ECOSYSTEMS */ .Pb];
    for (const ecosystem of ecosystems) {
        if (ecosystem === '.' || ecosystem === '..' || /[/\\\0]/.test(ecosystem)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .DrydockError */ .Td('USAGE', `--ecosystem ${JSON.stringify(ecosystem)} is not an ecosystem name (e.g. Debian, npm, "Rocky Linux")`);
        }
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(dir, { recursive: true });
    const pool = new _net_http_exchange_js__WEBPACK_IMPORTED_MODULE_7__/* .ConnectionPool */ .j2();
    try {
        for (const [i, ecosystem] of ecosystems.entries()) {
            await fetchExport(platform, pool, { base, dir, ecosystem, ordinal: `${i + 1}/${ecosystems.length}` });
        }
    }
    finally {
        pool.close();
    }
    platform.info(`${ecosystems.length} ${ecosystems.length === 1 ? 'export' : 'exports'} in ${dir}; scan with --db osv-offline:${dir}`);
};
function readBase(text) {
    let url;
    try {
        url = new URL(text.replace(/\/+$/, ''));
    }
    catch {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .DrydockError */ .Td('USAGE', `--url ${JSON.stringify(text)} is not a URL (default ${_db_fetch_inputs_js__WEBPACK_IMPORTED_MODULE_9__/* .OSV_EXPORT_BASE */ .s})`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .DrydockError */ .Td('USAGE', `--url ${text}: must be http or https`);
    return url;
}
async function fetchExport(platform, pool, target) {
    const url = new URL(`${target.base.href.replace(/\/+$/, '')}/${encodeURIComponent(target.ecosystem)}/all.zip`);
    const destination = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(target.dir, target.ecosystem, 'all.zip');
    // Beside the destination's folder, in DIR: the rename stays on one file system, and a failed
    // download leaves no empty ecosystem folder behind.
    const temporary = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(target.dir, `.${target.ecosystem.replace(/\s/g, '_')}-all.zip.${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.tmp`);
    platform.info(`[${target.ordinal}] ${target.ecosystem}: downloading ${url.href}`);
    const started = Date.now();
    try {
        const bytes = await download(platform, pool, url, temporary, target.ecosystem);
        let records = 0;
        await (0,_vuln_index_js__WEBPACK_IMPORTED_MODULE_8__/* .forEachZipEntry */ .Cy)(temporary, async (entry) => {
            await entry.read();
            if (entry.name.toLowerCase().endsWith('.json'))
                records++;
        }).catch((error) => {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .DrydockError */ .Td('DATABASE_ERROR', `${url.href} is not a readable zip (${error.message.replace(/^OSV database archive \S+ is unreadable: /, '')}); nothing was saved`, {
                cause: error,
            });
        });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(target.dir, target.ecosystem), { recursive: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(temporary, destination);
        platform.info(`[${target.ordinal}] ${target.ecosystem}: ${records} records, ${mib(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s, saved to ${destination}`);
    }
    finally {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(temporary, { force: true });
    }
}
/** Streams the body to `file`; resolves to the number of bytes written. */
async function download(platform, pool, url, file, ecosystem) {
    const unreachable = (error) => new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .DrydockError */ .Td('DATABASE_ERROR', `cannot download ${url.href}: ${error.code ?? error.message}; check the network or --url, or copy an export fetched elsewhere into the folder`, { cause: error });
    let response;
    try {
        response = await (0,_net_http_exchange_js__WEBPACK_IMPORTED_MODULE_7__/* .exchange */ .cv)({ method: 'GET', url, headers: { accept: 'application/zip' }, timeoutMs: IDLE_TIMEOUT_MS, pool });
    }
    catch (error) {
        throw unreachable(error);
    }
    if (response.status !== 200) {
        response.body.resume();
        const hint = response.status === 404 ? ` (is "${ecosystem}" an OSV ecosystem? names are case-sensitive, e.g. Debian, PyPI, "Rocky Linux")` : '';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .DrydockError */ .Td('DATABASE_ERROR', `${url.href} answered HTTP ${response.status}${hint}; nothing was saved`);
    }
    const length = Number(response.headers['content-length']);
    const progress = platform.startProgress(`${ecosystem} all.zip`, Number.isFinite(length) && length > 0 ? length : 0);
    let bytes = 0;
    const counter = new node_stream__WEBPACK_IMPORTED_MODULE_4__.Transform({
        transform(chunk, _encoding, callback) {
            bytes += chunk.length;
            progress.advance(chunk.length);
            callback(null, chunk);
        },
    });
    try {
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)(response.body, counter, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(file));
    }
    catch (error) {
        throw unreachable(error);
    }
    if (Number.isFinite(length) && bytes !== length)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_6__/* .DrydockError */ .Td('DATABASE_ERROR', `${url.href} ended after ${bytes} of ${length} bytes; nothing was saved`);
    progress.done(`${ecosystem}: downloaded ${mib(bytes)}`);
    return bytes;
}
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;


/***/ })

};
