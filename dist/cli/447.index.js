export const id = 447;
export const ids = [447];
export const modules = {

/***/ 45447:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   inspect: () => (/* binding */ inspect)
/* harmony export */ });
/* harmony import */ var _image_open_source_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(34777);
/* harmony import */ var _image_resolve_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76874);
/* harmony import */ var _image_platform_selector_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(23633);
/* harmony import */ var _report_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7408);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(90402);





/** `drydock inspect`: what skopeo inspect shows, through every source and both CI platforms. */
const inspect = async (platform) => {
    const inputs = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .readImageInputs */ .B)(platform);
    const format = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .readChoice */ .K)(platform, 'format', ['table', 'json'], 'table');
    const source = await (0,_image_open_source_js__WEBPACK_IMPORTED_MODULE_0__/* .openImageSource */ .X)(inputs.image, {
        insecureRegistries: inputs.insecureRegistries,
        credentials: await platform.registryCredentials(),
    });
    try {
        const resolved = await (0,_image_resolve_js__WEBPACK_IMPORTED_MODULE_1__/* .resolveReference */ .s)(source, inputs.platform);
        const report = {
            reference: inputs.image,
            digest: resolved.root.digest,
            mediaType: resolved.index ? resolved.index.mediaType ?? resolved.root.mediaType : resolved.images[0].mediaType,
            ...(resolved.index
                ? {
                    platforms: resolved.index.manifests.map((descriptor) => ({
                        platform: (0,_image_platform_selector_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .Bq)(descriptor.platform),
                        digest: descriptor.digest,
                        mediaType: descriptor.mediaType,
                    })),
                }
                : {}),
            images: resolved.images.map((image) => ({
                platform: image.platform,
                digest: image.digest,
                mediaType: image.mediaType,
                config: {
                    digest: image.configDescriptor.digest,
                    ...(image.config.os ? { os: image.config.os } : {}),
                    ...(image.config.architecture ? { architecture: image.config.architecture } : {}),
                    ...(image.config.variant ? { variant: image.config.variant } : {}),
                    ...(image.config.created ? { created: image.config.created } : {}),
                    labels: image.config.config?.Labels ?? {},
                },
                layers: image.layers.map((layer) => ({ digest: layer.digest, size: layer.size, mediaType: layer.mediaType })),
            })),
        };
        const json = JSON.stringify(report, null, 2);
        platform.setOutput('digest', report.digest);
        platform.setOutput('report', JSON.stringify(report));
        platform.writeReport(format === 'json' ? json : (0,_report_index_js__WEBPACK_IMPORTED_MODULE_3__/* .renderInspectTable */ .VE)(report));
        await platform.appendSummary((0,_report_index_js__WEBPACK_IMPORTED_MODULE_3__/* .renderInspectMarkdown */ .WH)(report));
    }
    finally {
        await source.close();
    }
};


/***/ })

};
