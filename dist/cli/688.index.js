export const id = 688;
export const ids = [688];
export const modules = {

/***/ 74688:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readGateTrust: () => (/* binding */ readGateTrust),
/* harmony export */   verifyBeforeScan: () => (/* binding */ verifyBeforeScan)
/* harmony export */ });
/* harmony import */ var _image_open_source_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(34777);
/* harmony import */ var _image_pinned_source_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(79858);
/* harmony import */ var _verify_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(79239);
/* harmony import */ var _verify_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(50442);
/* harmony import */ var _verify_inputs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(88626);





/** The trust inputs of the gate, or undefined when none is given (then the scan does not verify). */
async function readGateTrust(platform, cache) {
    const trust = (0,_verify_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .readTrustInputs */ .e2)(platform);
    const predicateType = (0,_verify_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .readPredicateType */ .MM)(platform, trust);
    if (!(0,_verify_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .trustGiven */ .ku)(trust))
        return undefined;
    const inputs = { ...trust, ...(predicateType ? { predicateType } : {}) };
    return { inputs, trust: await (0,_verify_js__WEBPACK_IMPORTED_MODULE_2__.loadTrust)(platform, inputs, cache) };
}
/**
 * Verifies the image with the verify core before the scan reads a layer: signatures are found
 * from manifests, tags and referrers only, so a failed verification (GATE_FAILED with each
 * reason, or SIGNATURE_MALFORMED) ends the run before any layer is fetched. Returns the root
 * manifest verified, which the scan then reads instead of resolving the tag again (a tag moved
 * between verify and scan would otherwise scan an image nobody verified).
 */
async function verifyBeforeScan(platform, gate, wanted, checkName) {
    const source = (0,_image_pinned_source_js__WEBPACK_IMPORTED_MODULE_4__/* .pinRoot */ .c)(await (0,_image_open_source_js__WEBPACK_IMPORTED_MODULE_0__/* .openImageSource */ .X)(wanted.image, { insecureRegistries: wanted.insecureRegistries, credentials: await platform.registryCredentials() }));
    const { platform: chosen } = wanted;
    // One platform scanned: its own signatures count as well as its index's; `all`: the index's alone, which pins every platform.
    const one = chosen === 'all' ? undefined : { os: chosen.os, architecture: chosen.architecture, ...(chosen.variant ? { variant: chosen.variant } : {}) };
    const what = gate.inputs.predicateType ? `${gate.inputs.predicateType} attestations of ${wanted.image}` : wanted.image;
    const result = await platform.group(`Verifying ${what} against ${(0,_verify_js__WEBPACK_IMPORTED_MODULE_2__.describeTrust)(gate.inputs)}`, async () => {
        try {
            return await (0,_verify_index_js__WEBPACK_IMPORTED_MODULE_1__/* .verifyImage */ .ZG)(source, wanted.image, { verifiers: gate.trust.verifiers, policy: gate.trust.policy, ...(one ? { platform: one } : {}) });
        }
        finally {
            await source.close();
        }
    });
    platform.setOutput('verified', String(result.verified));
    for (const line of (0,_verify_index_js__WEBPACK_IMPORTED_MODULE_1__/* .renderVerifyTable */ .Yn)(result).trimEnd().split('\n'))
        platform.info(line);
    await platform.appendSummary((0,_verify_index_js__WEBPACK_IMPORTED_MODULE_1__/* .renderVerifyMarkdown */ .HD)(result));
    if (!result.verified) {
        const error = (0,_verify_js__WEBPACK_IMPORTED_MODULE_2__.notVerifiedError)(wanted.image, result, gate.inputs.predicateType);
        await platform.reportStatus({ name: checkName, conclusion: 'failure', title: 'image not verified: not scanned', summary: error.message });
        throw error;
    }
    return source.rootManifest();
}


/***/ })

};
