// The "analytics" script every consent tool must keep asleep until the visitor accepts.
window.__benchThirdPartyRanAt = performance.now();
