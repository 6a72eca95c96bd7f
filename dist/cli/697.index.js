export const id = 697;
export const ids = [697,237];
export const modules = {

/***/ 32237:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ resolveCacheDir)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);


/** `--cache-dir`, else DRYDOCK_CACHE_DIR, else `$XDG_CACHE_HOME/drydock`, else `~/.cache/drydock`. */
function resolveCacheDir(options = {}) {
    const env = options.env ?? process.env;
    if (options.cacheDir)
        return options.cacheDir;
    if (env['DRYDOCK_CACHE_DIR'])
        return env['DRYDOCK_CACHE_DIR'];
    if (env['XDG_CACHE_HOME'])
        return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(env['XDG_CACHE_HOME'], 'drydock');
    return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(options.home ?? (0,node_os__WEBPACK_IMPORTED_MODULE_0__.homedir)(), '.cache', 'drydock');
}


/***/ }),

/***/ 16697:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkName: () => (/* binding */ checkName),
  resolveReportTargets: () => (/* binding */ resolveReportTargets),
  scan: () => (/* binding */ scan_scan)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./build/ncc-src/shared/cache/cache-dir.js
var cache_dir = __webpack_require__(32237);
// EXTERNAL MODULE: ./build/ncc-src/shared/cache/file-cache.js
var file_cache = __webpack_require__(25640);
// EXTERNAL MODULE: ./build/ncc-src/shared/errors.js
var errors = __webpack_require__(40489);
// EXTERNAL MODULE: ./build/ncc-src/shared/human-size.js
var human_size = __webpack_require__(42195);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/open-source.js + 6 modules
var open_source = __webpack_require__(34777);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/reference.js
var image_reference = __webpack_require__(90643);
// EXTERNAL MODULE: ./build/ncc-src/shared/image-scan/scan-image.js + 1 modules
var scan_image = __webpack_require__(84504);
// EXTERNAL MODULE: ./build/ncc-src/shared/image-scan/scan-result.js
var scan_result = __webpack_require__(9801);
;// CONCATENATED MODULE: ./build/ncc-src/shared/platform/in-order.js
/**
 * Releases work numbered 0, 1, 2, … in that order, whatever order it arrives in: layers are read
 * concurrently and finish in any order, but a CI log should list them as the image stacks them.
 */
class InOrder {
    next = 0;
    waiting = new Map();
    /** Runs `work` now if every lower number has run, else when they have. */
    add(position, work) {
        this.waiting.set(position, work);
        for (let ready = this.waiting.get(this.next); ready !== undefined; ready = this.waiting.get(this.next)) {
            this.waiting.delete(this.next);
            this.next += 1;
            ready();
        }
    }
}

// EXTERNAL MODULE: ./build/ncc-src/shared/report/index.js + 15 modules
var report = __webpack_require__(7408);
// EXTERNAL MODULE: ./build/ncc-src/shared/scan/index.js + 42 modules
var scan = __webpack_require__(64123);
// EXTERNAL MODULE: ./build/ncc-src/shared/vuln/index.js + 37 modules
var vuln = __webpack_require__(44643);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/pinned-source.js
var pinned_source = __webpack_require__(79858);
// EXTERNAL MODULE: ./build/ncc-src/shared/commands/verify-inputs.js
var verify_inputs = __webpack_require__(88626);
// EXTERNAL MODULE: ./build/ncc-src/shared/commands/scan-inputs.js
var scan_inputs = __webpack_require__(23230);
// EXTERNAL MODULE: ./build/ncc-src/shared/commands/with-directory-cache.js + 1 modules
var with_directory_cache = __webpack_require__(67681);
;// CONCATENATED MODULE: ./build/ncc-src/shared/commands/scan.js

















/** Check run annotations for the findings that fail the gate, worst first: 10 requests of 50 at most. */
const MAX_CHECK_ANNOTATIONS = 500;
/** Below the check run summary's 65535 characters, with room for the first line. */
const CHECK_SUMMARY_BYTES = 60_000;
/** Scan progress as the platform shows it: a log group per phase, a bar (terminal) or a line (CI) per layer. */
function platformProgress(platform) {
    const bars = new Map();
    // Layers finish in any order; CI logs list them as the image stacks them (one order per image read).
    let logInOrder = new InOrder();
    return {
        phase: (title, work) => {
            logInOrder = new InOrder();
            return platform.group(title, work);
        },
        layerStarted(layer) {
            const bar = platform.startProgress(`layer ${layer.index + 1}/${layer.total} ${layer.digest.slice(7, 19)}`, layer.size);
            bars.set(layer.index, bar);
            return bar;
        },
        layerDone(event) {
            const line = `layer ${event.index + 1}/${event.total} ${event.digest.slice(7, 19)} ${(0,human_size/* humanSize */.X)(event.size)}` +
                (event.cached ? ' (cached)' : ` -> ${(0,human_size/* humanSize */.X)(event.uncompressedBytes)} in ${(0,human_size/* humanSeconds */.N)(event.milliseconds)}`);
            const bar = bars.get(event.index);
            if (bar?.live)
                bar.done(line);
            else
                logInOrder.add(event.index, () => (bar ? bar.done(line) : platform.info(line)));
        },
        note: (message) => platform.info(message),
        debug: (message) => platform.debug(message),
    };
}
/** The files written, by format, absolute (a later step reads them from the outputs). */
async function writeReports(platform, inputs, results) {
    const options = { ...(inputs.minSeverity ? { minSeverity: inputs.minSeverity } : {}) };
    const written = new Map();
    for (const target of inputs.targets) {
        const documents = (0,report/* renderReports */.kr)(target.format, results, options);
        if (target.file === undefined) {
            if (documents.length > 1) {
                const format = platform.describeInput('format');
                throw new errors/* DrydockError */.Td('USAGE', `${format} ${target.format} makes one document per image; give it a file (${format} ${target.format}=FILE)`);
            }
            platform.writeReport(documents[0].content);
            continue;
        }
        for (const document of documents) {
            const file = document.name ? target.file.replace(/(\.[^./]+)?$/, (ext) => `-${document.name}${ext}`) : target.file;
            await (0,report/* writeReportFile */.aS)(file, document.content, target.format);
            platform.info(`wrote ${target.format} report to ${file}`);
            written.set(target.format, [...(written.get(target.format) ?? []), file]);
            await platform.publishReport?.(target.format, file);
        }
    }
    return written;
}
/**
 * A relative report path is the workspace's (GITHUB_WORKSPACE, System.DefaultWorkingDirectory,
 * the cli's current folder), where the next step of the job looks for it, not the process's.
 */
function resolveReportTargets(targets, workspace) {
    return targets.map((target) => (target.file === undefined || (0,external_node_path_.isAbsolute)(target.file) ? target : { ...target, file: (0,external_node_path_.resolve)(workspace, target.file) }));
}
/** The reports are written first, so the user sees what was checked; the run still fails closed. */
function notCheckedError(platform, results) {
    const notChecked = [...new Set(results.flatMap((result) => result.unchecked.map((p) => `${p.name} ${p.version} (${p.type})`)))];
    if (notChecked.length === 0)
        return undefined;
    const strict = platform.describeInput('strict', 'true');
    return new errors/* DrydockError */.Td('NOT_CHECKED', `${notChecked.length} ${notChecked.length === 1 ? 'package was' : 'packages were'} not checked for vulnerabilities and ${strict} asks for every one to be: ` +
        `${notChecked.join(', ')} (the warnings above say why). Remove or upgrade them, or run without ${strict} to report them as warnings only`);
}
/** `drydock scan`: every package in the image, every known vulnerability in them, and the gate. */
const scan_scan = async (platform) => {
    const read = (0,scan_inputs/* readScanInputs */.JU)(platform);
    const inputs = { ...read, targets: resolveReportTargets(read.targets, platform.repositoryContext().workspace) };
    // Before the CI cache is restored too: that is network already.
    await checkBeforePull(platform, inputs);
    // The gate's trust inputs (root action, `drydock gate`): the image must verify before a layer is read.
    // Loaded only then: a plain scan does not pay for the certificate and Sigstore libraries.
    let verifiedRoot;
    // `predicate-type` alone is refused there too (it would otherwise verify nothing, in silence).
    if ((0,verify_inputs/* trustGiven */.ku)((0,verify_inputs/* readTrustInputs */.e2)(platform)) || platform.getInput('predicate-type').trim() !== '') {
        const gate = await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(459), __webpack_require__.e(442), __webpack_require__.e(688)]).then(__webpack_require__.bind(__webpack_require__, 74688));
        const trust = await gate.readGateTrust(platform, { cacheDir: inputs.cacheDir ?? '', noCache: inputs.noCache });
        if (trust)
            verifiedRoot = await gate.verifyBeforeScan(platform, trust, inputs, checkName(inputs.image));
    }
    const cacheDir = inputs.noCache ? undefined : (0,cache_dir/* resolveCacheDir */.g)(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {});
    // The gate fails after the cache is saved: a failed gate is a finished scan whose results are worth keeping.
    const verdict = await (0,with_directory_cache/* withDirectoryCache */.E)(platform, cacheDir, () => scanAndGate(platform, inputs, cacheDir, verifiedRoot));
    if (verdict.failure)
        throw new errors/* DrydockError */.Td('GATE_FAILED', verdict.failure);
};
/** What can be found wrong without the network is found before anything is fetched. */
async function checkBeforePull(platform, inputs) {
    await (0,open_source/* checkImageReference */.r)(inputs.image);
    for (const target of inputs.targets)
        if (target.file !== undefined)
            await (0,report/* checkReportFile */.rs)(target.file, target.format);
    await (0,vuln/* checkDbSource */.Ap)(inputs.db, (value) => platform.describeInput('db', value));
}
async function scanAndGate(platform, inputs, cacheDir, verifiedRoot) {
    const ignore = inputs.ignoreFile ? await (0,vuln/* readIgnoreFile */.rj)(inputs.ignoreFile) : [];
    const vex = (await Promise.all(inputs.vexFiles.map((file) => (0,vuln/* readOpenVex */.ye)(file)))).flat();
    const vulnerabilities = (0,vuln/* openVulnerabilitySource */.mA)(inputs.db, {
        ...(cacheDir ? { cacheDir } : {}),
        noCache: inputs.noCache,
        api: { log: (line) => platform.info(line) },
        debug: (message) => platform.debug(message),
    });
    const opened = await (0,open_source/* openImageSource */.X)(inputs.image, {
        insecureRegistries: inputs.insecureRegistries,
        credentials: await platform.registryCredentials(),
    });
    const source = verifiedRoot ? (0,pinned_source/* pinRoot */.c)(opened, verifiedRoot) : opened;
    const layerCache = cacheDir ? new scan/* LayerCache */.y_(new file_cache/* FileCache */.p(cacheDir)) : undefined;
    let results;
    try {
        platform.info(`reading the manifest of ${inputs.image}`);
        results = await (0,scan_image/* scanImage */.F)(source, inputs.image, inputs.platform, {
            vulnerabilities,
            ...(layerCache ? { layerCache } : {}),
            ignore,
            vex,
            ignoreUnfixed: inputs.ignoreUnfixed,
            progress: platformProgress(platform),
        });
    }
    finally {
        await source.close();
    }
    const pruned = (await layerCache?.prune()) ?? 0;
    if (pruned > 0)
        platform.debug(`layer cache: removed ${pruned} entries unused for ${scan/* LAYER_CACHE_MAX_IDLE_DAYS */.lO} days`);
    for (const result of results)
        for (const warning of result.warnings)
            platform.warning(warning);
    platform.setOutput('digest', [...new Set(results.map((result) => result.digest))].join('\n'));
    const written = await writeReports(platform, inputs, results);
    for (const [format, files] of written)
        platform.setOutput((0,scan_inputs/* reportFileOutput */.cx)(format), files.join('\n'));
    const all = results.flatMap((result) => result.vulnerabilities);
    const failing = inputs.failOn ? all.filter((finding) => (0,report/* severityAtLeast */._2)(finding.severity, inputs.failOn)) : [];
    const gate = {
        verdict: inputs.failOn === undefined ? 'no-gate' : failing.length > 0 ? 'failed' : 'passed',
        input: inputs.failOn === undefined ? platform.describeInput('fail-on') : platform.describeInput('fail-on', inputs.failOn.toLowerCase()),
        ...(inputs.failOn ? { failOn: inputs.failOn } : {}),
        failing: (0,report/* countBySeverity */.Ot)(failing),
        total: all.length,
    };
    await platform.appendSummary((0,report/* renderJobSummary */.qE)(results, gate));
    const unchecked = inputs.strict ? notCheckedError(platform, results) : undefined;
    if (unchecked)
        throw unchecked;
    const counts = (0,report/* countBySeverity */.Ot)(all);
    platform.setOutput('verdict', gate.verdict);
    platform.setOutput('vulnerabilities', String(all.length));
    for (const [severity, count] of Object.entries(counts))
        platform.setOutput(severity.toLowerCase(), String(count));
    const failure = gate.verdict === 'failed' ? gateFailure(platform, inputs.failOn, failing) : undefined;
    await platform.reportStatus({
        name: checkName(inputs.image),
        conclusion: failure ? 'failure' : 'success',
        title: failure
            ? `${failing.length} vulnerabilities at or above ${inputs.failOn} (${gate.input})`
            : `${all.length} vulnerabilities, none failing the gate${gate.verdict === 'no-gate' ? ` (${gate.input} not set)` : ` (${gate.input})`}`,
        // The PR's checks tab shows the same summary as the job; GitHub takes at most 65535 characters.
        summary: `Scanned ${inputs.image} (${results.map((r) => r.platform).join(', ')}) against ${vulnerabilities.description}.\n\n${(0,report/* renderJobSummary */.qE)(results, gate, { maxBytes: CHECK_SUMMARY_BYTES })}`,
        annotations: (0,report/* sortFindings */.Tc)(failing)
            .slice(0, MAX_CHECK_ANNOTATIONS)
            .map((finding) => ({
            level: 'failure',
            title: `${finding.severity} ${finding.id} in ${finding.package.name}`,
            message: `${finding.package.name} ${finding.package.version} (${finding.fixedVersion === null ? 'no fix yet' : `fixed in ${finding.fixedVersion}`})` +
                `${finding.summary?.trim() ? `: ${finding.summary.trim()}` : ''} ${(0,report/* advisoryUrl */.Le)(finding.id)}`,
        })),
    });
    return failure ? { failure } : {};
}
/**
 * `Drydock scan ghcr.io/acme/api`: one check per image, so a matrix of images gives each its own
 * required check; a registry image's tag and digest are left out, or a tag per commit
 * (`:${{ github.sha }}`) would make a new name on every commit that branch protection cannot require.
 */
function checkName(image) {
    const reference = (0,image_reference/* parseReference */.F2)(image);
    let name = image.trim();
    if (reference.transport === 'registry') {
        if (reference.digest && name.endsWith(`@${reference.digest}`))
            name = name.slice(0, -reference.digest.length - 1);
        if (reference.tag && name.endsWith(`:${reference.tag}`))
            name = name.slice(0, -reference.tag.length - 1);
    }
    return `Drydock scan ${name}`;
}
/** The one gate message, in the words of the interface: `3 vulnerabilities at or above HIGH (fail-on: high): 1 CRITICAL, 2 HIGH`. */
function gateFailure(platform, failOn, failing) {
    const counts = (0,report/* countBySeverity */.Ot)(failing);
    const bySeverity = scan_result/* SEVERITIES */.o.filter((severity) => counts[severity] > 0).map((severity) => `${counts[severity]} ${severity}`);
    return `${failing.length} vulnerabilities at or above ${failOn} (${platform.describeInput('fail-on', failOn.toLowerCase())}): ${bySeverity.join(', ')}`;
}


/***/ }),

/***/ 67681:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  E: () => (/* binding */ withDirectoryCache)
});

;// CONCATENATED MODULE: ./build/ncc-src/shared/cache/ci-cache-key.js
/**
 * Keys under which a CI cache service keeps the cache folder: one entry per runner OS and UTC
 * day, because the OSV answers inside are filed by UTC day (`osv/<YYYY-MM-DD>/`) and a day's
 * entry is then exactly what that day's scans can reuse. Yesterday's entry still helps (its
 * per-layer results are keyed by layer digest and stay valid), so the restore key is the
 * day-less prefix: the service hands back the newest entry of that OS.
 */
/** Bump when the folder's layout changes so that no run restores an entry it cannot read. */
const CI_CACHE_KEY_PREFIX = 'drydock-v1';
/** The runner's spelling of each OS (`RUNNER_OS`), so a key reads the same with or without it. */
const RUNNER_OS_NAMES = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };
/**
 * `RUNNER_OS` as the runner sets it (`Linux`, `Windows`, `macOS`), else the same name for
 * `process.platform`. Archives hold paths and tar flavours of their OS, so OSes never share one.
 */
function runnerOs(env = process.env, platform = process.platform) {
    const named = env['RUNNER_OS']?.trim() || RUNNER_OS_NAMES[platform] || platform;
    // A key may not hold a comma; keep it to plain characters.
    return named.replace(/[^A-Za-z0-9._-]/g, '-');
}
/** The UTC calendar day, `YYYY-MM-DD`: the day the OSV cache files its answers under. */
function utcDay(now) {
    return now.toISOString().slice(0, 10);
}
function ciCacheKeys(now, os) {
    const prefix = `${CI_CACHE_KEY_PREFIX}-${os}-`;
    return { primaryKey: `${prefix}${utcDay(now)}`, restoreKeys: [prefix] };
}

;// CONCATENATED MODULE: ./build/ncc-src/shared/commands/with-directory-cache.js
/**
 * Carries the cache folder between CI runs around a command's work, where the platform has a
 * cache service (GitHub's Actions cache) and the `cache` input leaves it on: restore before,
 * save after. One entry per runner OS and UTC day (shared/cache/ci-cache-key.ts).
 */

/**
 * Runs `work` between a restore and a save of `cacheDir` (undefined: `--no-cache`, nothing to
 * carry). The save follows only work that returned: a thrown error may have left the folder
 * half written, while a failed gate (exit 1) is a finished scan whose results are worth keeping.
 * An entry restored under today's exact key is not saved again: the service never replaces a key.
 */
async function withDirectoryCache(platform, cacheDir, work, options = {}) {
    const cache = platform.directoryCache;
    if (cacheDir === undefined || cache === undefined || !platform.getBooleanInput('cache', true))
        return work();
    // A runner without the service: its reason, once, at info (the user asked for a cache and gets none).
    const unavailable = await cache.unavailable?.();
    if (unavailable !== undefined) {
        platform.info(unavailable);
        return work();
    }
    const { primaryKey, restoreKeys } = ciCacheKeys((options.now ?? (() => new Date()))(), runnerOs(options.env));
    const matched = await platform.group(`Restoring the cache folder ${cacheDir}`, async () => {
        const key = await cache.restore(cacheDir, primaryKey, restoreKeys);
        platform.info(key === undefined ? `cache miss: no entry ${primaryKey} or ${restoreKeys.map((prefix) => `${prefix}*`).join(', ')}` : `cache restored from ${key}`);
        return key;
    });
    const result = await work();
    if (matched === primaryKey) {
        platform.debug(`cache entry ${primaryKey} exists; not saved again`);
        return result;
    }
    await platform.group(`Saving the cache folder ${cacheDir}`, async () => {
        if (await cache.save(cacheDir, primaryKey))
            platform.info(`cache saved as ${primaryKey}`);
        else
            platform.info(`cache entry ${primaryKey} not saved`);
    });
    return result;
}


/***/ }),

/***/ 79858:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ pinRoot)
/* harmony export */ });
/** The source with its root manifest read once: what was verified is what is scanned. */
function pinRoot(source, root) {
    let pinned = root ? Promise.resolve(root) : undefined;
    return {
        reference: source.reference,
        rootManifest: () => (pinned ??= source.rootManifest()),
        manifest: (digest) => source.manifest(digest),
        openBlob: (descriptor) => source.openBlob(descriptor),
        readBlob: (descriptor, maxBytes) => source.readBlob(descriptor, maxBytes),
        referrers: (digest, artifactType) => source.referrers(digest, artifactType),
        tagged: (tag) => source.tagged(tag),
        close: () => source.close(),
    };
}


/***/ })

};
