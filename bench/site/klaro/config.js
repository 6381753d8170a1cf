// Klaro set up like the demo policy: four purposes, three services, a notice with "Accept all".
var klaroConfig = {
  version: 1,
  elementID: "klaro",
  storageMethod: "cookie",
  cookieName: "klaro",
  cookieExpiresAfterDays: 182,
  default: false,
  mustConsent: false,
  acceptAll: true,
  hideDeclineAll: false,
  htmlTexts: false,
  lang: "en",
  translations: {
    en: {
      consentNotice: {
        description: "We use cookies and similar technologies. Some are necessary for the site to work. Others are optional: we use them for statistics and marketing only if you allow it. You can change your choice at any time under “Cookie settings”."
      },
      purposes: {
        preferences: { title: "Preferences" },
        analytics: { title: "Analytics" },
        marketing: { title: "Marketing" }
      }
    }
  },
  services: [
    { name: "statly", title: "Statly Analytics", purposes: ["analytics"], cookies: ["_st_id", /^_st_ses_/] },
    { name: "adpixel", title: "AdPixel", purposes: ["marketing"] },
    { name: "vidtube", title: "VidTube", purposes: ["marketing"] }
  ]
};
