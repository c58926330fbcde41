//! Browser, engine and operating system from a user-agent string, for the machine block.
//!
//! Why parse at all: the raw user agent is kept too, but a legend needs "Firefox 128", and the
//! engine (which compiles the wasm) is what explains most differences between browsers on one
//! machine. Order matters: Chromium browsers also say "Safari", Edge also says "Chrome".

/// What a user agent says about the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    /// Name and major version, e.g. "Chrome 131" (or "unknown browser").
    pub browser: String,
    /// V8, SpiderMonkey, JavaScriptCore or "unknown".
    pub engine: &'static str,
    /// Linux, Windows, macOS, Android, iOS, ChromeOS or "unknown".
    pub os: &'static str,
}

/// The major version after `token` (`Chrome/131.0` → `131`).
fn major(ua: &str, token: &str) -> Option<String> {
    let rest = &ua[ua.find(token)? + token.len()..];
    let v: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!v.is_empty()).then_some(v)
}

fn os(ua: &str) -> &'static str {
    let has = |s: &str| ua.contains(s);
    if has("Android") {
        "Android"
    } else if has("iPhone") || has("iPad") || has("iPod") {
        "iOS"
    } else if has("Windows") {
        "Windows"
    } else if has("CrOS") {
        "ChromeOS"
    } else if has("Macintosh") || has("Mac OS X") {
        "macOS"
    } else if has("Linux") || has("X11") {
        "Linux"
    } else {
        "unknown"
    }
}

/// Reads `ua` (`navigator.userAgent`).
pub fn parse(ua: &str) -> Agent {
    let os = os(ua);
    // (token, name, engine), first match wins.
    const BROWSERS: [(&str, &str, &str); 10] = [
        ("FxiOS/", "Firefox", "JavaScriptCore"),
        ("CriOS/", "Chrome", "JavaScriptCore"),
        ("EdgiOS/", "Edge", "JavaScriptCore"),
        ("Firefox/", "Firefox", "SpiderMonkey"),
        ("Edg/", "Edge", "V8"),
        ("OPR/", "Opera", "V8"),
        ("HeadlessChrome/", "Headless Chrome", "V8"),
        ("Chromium/", "Chromium", "V8"),
        ("Chrome/", "Chrome", "V8"),
        ("Version/", "Safari", "JavaScriptCore"),
    ];
    for (token, name, engine) in BROWSERS {
        if let Some(v) = major(ua, token) {
            let name =
                if name == "Safari" && os == "Linux" { "WebKitGTK (Safari-like)" } else { name };
            return Agent { browser: format!("{name} {v}"), engine, os };
        }
    }
    let engine = if ua.contains("AppleWebKit/") { "JavaScriptCore" } else { "unknown" };
    Agent { browser: "unknown browser".into(), engine, os }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(browser: &str, engine: &'static str, os: &'static str) -> Agent {
        Agent { browser: browser.into(), engine, os }
    }

    #[test]
    fn common_user_agents() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                agent("Chrome 131", "V8", "Linux"),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.0 Safari/537.36",
                agent("Headless Chrome 120", "V8", "Linux"),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.68",
                agent("Edge 130", "V8", "Windows"),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                agent("Firefox 128", "SpiderMonkey", "Linux"),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
                agent("Safari 17", "JavaScriptCore", "macOS"),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/122.0 Mobile/15E148 Safari/604.1",
                agent("Chrome 122", "JavaScriptCore", "iOS"),
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.0 Safari/605.1.15",
                agent("WebKitGTK (Safari-like) 16", "JavaScriptCore", "Linux"),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                agent("Chrome 131", "V8", "Android"),
            ),
        ];
        for (ua, want) in cases {
            assert_eq!(parse(ua), want, "{ua}");
        }
        assert_eq!(parse(""), agent("unknown browser", "unknown", "unknown"));
    }
}
