export const id = 237;
export const ids = [237];
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


/***/ })

};
