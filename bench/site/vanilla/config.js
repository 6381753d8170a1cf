// vanilla-cookieconsent v3 set up like the demo policy: four categories, three services.
CookieConsent.run({
  hideFromBots: false,  // it would stay hidden from Playwright (navigator.webdriver)
  cookie: { name: "cc_cookie", expiresAfterDays: 182 },
  guiOptions: { consentModal: { layout: "bar", position: "bottom" } },
  categories: {
    necessary: { enabled: true, readOnly: true },
    preferences: {},
    analytics: { services: { statly: { label: "Statly Analytics" } } },
    marketing: { services: { adpixel: { label: "AdPixel" }, vidtube: { label: "VidTube" } } }
  },
  language: {
    default: "en",
    translations: {
      en: {
        consentModal: {
          title: "Your privacy on Sąskaitėlė Invoicing",
          description: "We use cookies and similar technologies. Some are necessary for the site to work. Others are optional: we use them for statistics and marketing only if you allow it. You can change your choice at any time under “Cookie settings”.",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          showPreferencesBtn: "Preferences"
        },
        preferencesModal: {
          title: "Cookie preferences",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          savePreferencesBtn: "Save my choices",
          closeIconLabel: "Close",
          sections: [
            { title: "Strictly necessary", description: "Needed to sign in, keep your session secure and remember your cookie choice. They cannot be switched off.", linkedCategory: "necessary" },
            { title: "Preferences", description: "Remember settings such as your invoice layout and currency.", linkedCategory: "preferences" },
            { title: "Analytics", description: "Help us understand which pages are used, so that we can improve them. The numbers are aggregated.", linkedCategory: "analytics" },
            { title: "Marketing", description: "Measure our advertising and show embedded videos from other sites, which may track you.", linkedCategory: "marketing" }
          ]
        }
      }
    }
  }
});
