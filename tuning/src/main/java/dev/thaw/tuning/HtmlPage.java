package dev.thaw.tuning;

/** A plain, self-contained HTML page for reports: one stylesheet for every table Thaw writes. */
public final class HtmlPage {

    private HtmlPage() {
    }

    public static String of(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title><style>"
                + "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#eee}"
                + "img{max-width:100%}</style></head><body>" + body + "</body></html>\n";
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
