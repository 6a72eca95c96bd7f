export const id = 383;
export const ids = [383,237];
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

/***/ 34383:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  updateBaseImages: () => (/* binding */ updateBaseImages)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(70370);
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
// EXTERNAL MODULE: ./build/ncc-src/shared/image/platform-selector.js
var platform_selector = __webpack_require__(23633);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/client.js + 2 modules
var registry_client = __webpack_require__(6800);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/credentials.js
var credentials = __webpack_require__(99218);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/docker-config.js
var docker_config = __webpack_require__(47841);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/acr.js
var acr = __webpack_require__(60022);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/default-credentials.js
var default_credentials = __webpack_require__(1086);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/retry.js
var retry = __webpack_require__(53658);
// EXTERNAL MODULE: ./build/ncc-src/shared/image/registry/manifest-type.js
var manifest_type = __webpack_require__(58960);
;// CONCATENATED MODULE: ./build/ncc-src/shared/image/registry/index.js
/** The registry folder's door: the distribution API client, its auth, and where credentials come from. */









// EXTERNAL MODULE: ./build/ncc-src/shared/report/index.js + 15 modules
var report = __webpack_require__(7408);
// EXTERNAL MODULE: ./build/ncc-src/shared/scm/index.js + 7 modules
var scm = __webpack_require__(36460);
// EXTERNAL MODULE: ./build/ncc-src/shared/scan/index.js + 42 modules
var scan = __webpack_require__(64123);
// EXTERNAL MODULE: ./build/ncc-src/shared/update/index.js + 16 modules
var shared_update = __webpack_require__(31185);
// EXTERNAL MODULE: ./build/ncc-src/shared/vuln/index.js + 37 modules
var vuln = __webpack_require__(44643);
// EXTERNAL MODULE: ./build/ncc-src/shared/commands/update-base-images-inputs.js
var update_base_images_inputs = __webpack_require__(34175);
// EXTERNAL MODULE: ./build/ncc-src/shared/commands/with-directory-cache.js + 1 modules
var with_directory_cache = __webpack_require__(67681);
;// CONCATENATED MODULE: ./build/ncc-src/shared/commands/update-base-images.js

















/** Base images scanned at once for the CVE delta: each streams its layers, so memory, not the network, bounds it. */
const SCAN_CONCURRENCY = 2;
async function readSites(platform, inputs) {
    const files = await (0,shared_update/* discoverFiles */.ZO)({
        root: inputs.root,
        globs: { dockerfile: inputs.dockerfiles, kubernetes: inputs.kubernetes, 'helm-values': inputs.helmValues, compose: inputs.compose },
        ignore: inputs.ignore,
    });
    platform.info(`${files.length} ${files.length === 1 ? 'file' : 'files'} to read under ${inputs.root}`);
    // every file is read before anything is resolved: a malformed one stops the run with nothing rewritten
    return Promise.all(files.map(async ({ manager, file, absolute }) => {
        const content = (await (0,promises_.readFile)(absolute)).toString('latin1');
        const skip = `, or leave it out with ${platform.describeInput('ignore', file)}`;
        return { file, content, sites: (0,shared_update/* extractImages */.qq)(manager, content, file, skip) };
    }));
}
function repositoryAt(site, digest) {
    return `${site.reference.registry}/${site.reference.repository}@${digest}`;
}
async function describeUpdates(platform, inputs, plan, credentials, cacheDir) {
    const scanner = new shared_update/* BaseImageScanner */.rT({
        open: (reference) => (0,open_source/* openImageSource */.X)(reference, { insecureRegistries: inputs.insecureRegistries, credentials }),
        ...(inputs.db ? { vulnerabilities: (0,vuln/* openVulnerabilitySource */.mA)(inputs.db, { ...(cacheDir ? { cacheDir } : {}), noCache: inputs.noCache }) } : {}),
        ...(inputs.db && cacheDir ? { layerCache: new scan/* LayerCache */.y_(new file_cache/* FileCache */.p(cacheDir)) } : {}),
    });
    const describe = async (update) => {
        const { site } = update;
        const platformName = site.platform ?? platform_selector/* DEFAULT_PLATFORM */.Er;
        const before = update.from === null ? undefined : repositoryAt(site, update.from);
        const after = repositoryAt(site, update.to);
        const [oldImage, newImage] = await Promise.all([before ? scanner.image(before, platformName) : undefined, scanner.image(after, platformName)]);
        const delta = {};
        if (inputs.db && before) {
            const outcome = await scanner.delta(before, after, platformName);
            for (const note of outcome.notes)
                platform.info(note);
            if ('notScanned' in outcome)
                delta.notScanned = outcome.notScanned;
            else {
                delta.fixes = outcome.delta.fixes.map((item) => item.id);
                delta.added = outcome.delta.added.map((item) => item.id);
                if (outcome.delta.fixes.length > 0)
                    delta.fixesBySeverity = (0,shared_update/* countBySeverity */.Ot)(outcome.delta.fixes);
                if (outcome.delta.added.length > 0)
                    delta.addedBySeverity = (0,shared_update/* countBySeverity */.Ot)(outcome.delta.added);
            }
        }
        // DESIGN's fields first, in its order; the additions after them
        return {
            file: site.file,
            line: site.line,
            image: site.image,
            tag: update.tag,
            from: update.from,
            to: update.to,
            ...delta,
            manager: site.manager,
            kind: site.kind,
            ...(site.platform ? { platform: site.platform } : {}),
            ...(0,shared_update/* factsPair */.e2)(oldImage?.facts, newImage.facts),
        };
    };
    if (plan.updates.length === 0)
        return [];
    const title = inputs.db ? `Scanning the old and new base images of ${plan.updates.length} updates` : `Reading the created date and size of the old and new base images of ${plan.updates.length} updates`;
    // a few at once: reading facts is two small requests an image, a scan streams every layer of two images
    const limit = (0,p_limit/* default */.A)(inputs.db ? SCAN_CONCURRENCY : shared_update/* DEFAULT_RESOLVE_CONCURRENCY */.jB);
    return platform.group(title, () => Promise.all(plan.updates.map((update) => limit(() => describe(update)))));
}
/** `drydock update-base-images`: pin or bump the digests of base images, and say what each bump fixes. */
const updateBaseImages = async (platform) => {
    const inputs = (0,update_base_images_inputs/* readUpdateBaseImagesInputs */.W)(platform);
    // An unusable plan file is found before any registry is asked, and its folder is never made.
    if (inputs.output)
        await (0,report/* checkReportFile */.rs)(inputs.output, 'JSON plan');
    const files = await readSites(platform, inputs);
    const sites = files.flatMap((file) => file.sites);
    const credentials = await platform.registryCredentials();
    const wanted = (0,shared_update/* sitesToResolve */.g)(sites, { pin: inputs.pin });
    const client = new registry_client/* RegistryClient */.bP({
        credentials: (0,default_credentials/* registryCredentials */.Q)({ explicit: credentials }),
        insecureRegistries: inputs.insecureRegistries,
        maxConcurrency: shared_update/* DEFAULT_RESOLVE_CONCURRENCY */.jB,
    });
    let digests;
    try {
        const started = Date.now();
        digests = await (0,shared_update/* resolveDigests */._I)(wanted.map((site) => site.reference), client, shared_update/* DEFAULT_RESOLVE_CONCURRENCY */.jB);
        platform.info(`${sites.length} image references; ${digests.size} unique tags looked up in ${(0,human_size/* humanSeconds */.N)(Date.now() - started)}`);
    }
    finally {
        await client.close();
    }
    const plan = (0,shared_update/* planUpdates */.CY)(sites, digests, { pin: inputs.pin });
    const cacheDir = inputs.db && !inputs.noCache ? (0,cache_dir/* resolveCacheDir */.g)(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {}) : undefined;
    const updates = await (0,with_directory_cache/* withDirectoryCache */.E)(platform, cacheDir, () => describeUpdates(platform, inputs, plan, credentials, cacheDir));
    const willWrite = !inputs.dryRun && !(inputs.strict && plan.unresolved.length > 0) && plan.updates.length > 0;
    const document = {
        updates,
        unresolved: plan.unresolved.map(({ site, reason }) => ({
            file: site.file,
            line: site.line,
            image: site.image,
            tag: site.tag ?? (site.reference ? 'latest' : ''),
            reason,
            manager: site.manager,
            kind: site.kind,
        })),
        written: willWrite,
    };
    for (const entry of document.unresolved)
        platform.warning(`${entry.file}:${entry.line}: ${entry.image}${entry.tag ? `:${entry.tag}` : ''} not resolved: ${entry.reason}`, { file: entry.file, line: entry.line });
    // the plan is published once its files are written: a rewrite that fails must not leave a report saying it was done
    const publish = async () => {
        const json = JSON.stringify(document, null, 2);
        platform.writeReport(inputs.format === 'json' ? json : (0,shared_update/* renderPlanTable */.Qi)(document));
        if (inputs.output) {
            await (0,report/* writeReportFile */.aS)(inputs.output, `${json}\n`, 'JSON plan');
            platform.setOutput('plan', inputs.output);
            platform.info(`wrote the JSON plan to ${inputs.output}`);
        }
        platform.setOutput('updates', String(document.updates.length));
        await platform.appendSummary((0,shared_update/* renderPlanMarkdown */.d$)(document));
    };
    if (inputs.strict && plan.unresolved.length > 0) {
        await publish();
        throw new errors/* DrydockError */.Td('UNRESOLVED', `${plan.unresolved.length} image ${plan.unresolved.length === 1 ? 'reference' : 'references'} could not be resolved and ${platform.describeInput('strict', 'true')} asks for every one to be, so no file was rewritten (the warnings above say why). Fix them, or run without ${platform.describeInput('strict', 'true')} to update the others`);
    }
    let written = [];
    if (willWrite) {
        const contents = new Map(files.map((file) => [file.file, file.content]));
        const edits = plan.updates.map(({ edit }) => ({ ...edit, expected: contents.get(edit.file).slice(edit.start, edit.end) }));
        written = await (0,shared_update/* rewriteFiles */.O3)(inputs.root, edits);
        platform.info(`rewrote ${written.length} ${written.length === 1 ? 'file' : 'files'}: ${written.join(', ')}`);
    }
    await publish();
    if (inputs.openPr)
        await proposeChanges(platform, inputs, inputs.openPr, document, written);
};
/** `--open-pr`: the rewritten files as one commit on the PR branch, and the branch's one PR opened or updated. */
async function proposeChanges(platform, inputs, kind, document, written) {
    if (written.length === 0) {
        platform.info(`no file was rewritten${inputs.dryRun ? ` (${platform.describeInput('dry-run', 'true')})` : ''}: no pull request opened`);
        return;
    }
    const target = await (0,scm/* connectRepositoryHost */.pV)(kind, platform);
    const context = platform.repositoryContext();
    try {
        const commitFiles = await Promise.all(written.map((file) => repositoryFile(context.workspace, inputs.root, file)));
        const outcome = await (0,scm/* openPullRequest */.Hw)(target.host, document, { branch: inputs.prBranch, base: target.base, baseSha: target.baseSha, files: commitFiles, labels: inputs.labels, autoMerge: inputs.autoMerge, ...(context.runUrl ? { runUrl: context.runUrl } : {}) }, (message) => platform.info(message));
        const { pullRequest } = outcome;
        if (outcome.action === 'declined') {
            platform.info(`pull request ${pullRequest.url} proposed these digests and was ${pullRequest.state}: not opened again (a newer digest opens a new one)`);
            return;
        }
        platform.info(`${outcome.action} pull request ${pullRequest.url}`);
        if (outcome.autoMerge !== undefined)
            platform.warning(`${platform.describeInput('auto-merge', 'true')} was not applied: ${outcome.autoMerge}`);
        platform.setOutput('pull-request', pullRequest.url);
        await platform.appendSummary(`Pull request: ${pullRequest.url}\n`);
    }
    finally {
        target.host.close();
    }
}
/** A rewritten file as the commit carries it: its path from the repository root and its bytes. */
async function repositoryFile(workspace, root, file) {
    const absolute = external_node_path_.join(root, file);
    const relative = external_node_path_.relative(workspace, absolute);
    if (relative.startsWith('..') || external_node_path_.isAbsolute(relative)) {
        throw new errors/* DrydockError */.Td('USAGE', `${absolute} is outside the repository checkout ${workspace}, so it cannot go in the pull request. Point path at a folder inside the checkout`);
    }
    const [content, info] = await Promise.all([(0,promises_.readFile)(absolute), (0,promises_.stat)(absolute)]);
    return { path: relative.split(external_node_path_.sep).join('/'), content, executable: (info.mode & 0o111) !== 0 };
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


/***/ })

};
