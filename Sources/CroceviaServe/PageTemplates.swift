import Mustache

/// The pages' templates (swift-mustache). In the source rather than in files beside the binary,
/// so a release build copied anywhere serves them. Every value goes in with `{{ }}`, which
/// escapes it for HTML; there is no `{{{ }}}` here. No JavaScript: a form, links, a list.
enum PageTemplates {
    /// A page's templates: the layout, with `content` inside it.
    static func library(_ content: String) throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(layout, named: "layout")
        try library.register(content, named: "content")
        return library
    }

    static let layout = """
        <!doctype html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 46rem; padding: 0 1rem 2rem; line-height: 1.45; color: #1b1b1b; }
        header { display: flex; justify-content: space-between; align-items: baseline; flex-wrap: wrap; border-bottom: 3px solid #0b6e4f; margin-bottom: 1rem; }
        header a { color: #0b6e4f; }
        h1 { font-size: 1.5rem; margin: .8rem 0 .4rem; }
        form { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem; background: #f1f6f4; padding: .8rem; border-radius: .4rem; }
        label { display: flex; flex-direction: column; font-size: .9rem; font-weight: 600; }
        input, select, button { font: inherit; padding: .45rem; margin-top: .2rem; border: 1px solid #8a9a94; border-radius: .3rem; }
        button { background: #0b6e4f; color: white; border: 0; font-weight: 600; align-self: end; }
        .wide { grid-column: 1 / -1; }
        ol.results { list-style: none; padding: 0; }
        ol.results li { border-bottom: 1px solid #d5dfdb; padding: .8rem 0; }
        ol.results h2 { font-size: 1.15rem; margin: 0; }
        .muted { color: #4d5a55; font-size: .92rem; }
        .closed { color: #8a4b00; font-weight: 600; margin: .2rem 0; }
        .error { background: #fdecea; border-left: 4px solid #b3261e; padding: .6rem .8rem; }
        nav.pages { display: flex; justify-content: space-between; margin-top: 1rem; }
        dl.hours { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .3rem 0; }
        dl.hours dt { font-weight: 600; }
        section.place { border-top: 1px solid #d5dfdb; margin-top: 1rem; }
        </style>
        </head>
        <body>
        <header><p><a href="/directory?lang={{lang}}">{{label.directory}}</a></p><p><a href="{{switch_url}}" lang="{{switch_lang}}">{{label.switch}}</a></p></header>
        <main>
        {{> content}}
        </main>
        </body>
        </html>
        """

    static let search = """
        <h1>{{label.heading}}</h1>
        <form method="get" action="/directory">
        <input type="hidden" name="lang" value="{{lang}}">
        <label class="wide">{{label.search}}<input type="search" name="search" value="{{form.search}}" placeholder="{{label.search_example}}"></label>
        <label>{{label.municipality}}<input name="municipality" value="{{form.municipality}}" placeholder="Torino"></label>
        <label>{{label.postcode}}<input name="postcode" value="{{form.postcode}}" inputmode="numeric" placeholder="10152"></label>
        <label>{{label.within}}<select name="proximity">{{#distances}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/distances}}</select></label>
        <label>{{label.activity}}<select name="taxonomy_term_id"><option value="">{{label.any}}</option>{{#choices}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/choices}}</select></label>
        <label>{{label.age}}<input name="age" value="{{form.age}}" inputmode="numeric"></label>
        <label>{{label.day}}<select name="day"><option value="">{{label.any}}</option>{{#days}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/days}}</select></label>
        <label>{{label.time}}<input type="time" name="time" value="{{form.time}}"></label>
        <button type="submit">{{label.find}}</button>
        </form>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{^error}}
        <p class="muted" aria-live="polite">{{summary}}</p>
        <ol class="results">
        {{#cards}}
        <li><h2><a href="/directory/services/{{id}}?lang={{lang}}">{{name}}</a></h2>
        {{#closed}}<p class="closed">{{label.closed}}</p>{{/closed}}
        {{#organization}}<p class="muted">{{organization}}</p>{{/organization}}
        {{#place}}<p>{{place}}{{#distance}} · {{distance}}{{/distance}}</p>{{/place}}
        {{#hours_text}}<p class="muted">{{hours_text}}</p>{{/hours_text}}
        {{#description}}<p>{{description}}</p>{{/description}}
        </li>
        {{/cards}}
        </ol>
        <nav class="pages">{{#previous}}<a href="{{previous}}" rel="prev">← {{label.previous}}</a>{{/previous}}<span></span>{{#next}}<a href="{{next}}" rel="next">{{label.next}} →</a>{{/next}}</nav>
        {{/error}}
        """

    static let service = """
        <p><a href="/directory?lang={{lang}}">← {{label.back}}</a></p>
        <h1>{{page.name}}</h1>
        {{#page.closed}}<p class="closed">{{label.closed}}</p>{{/page.closed}}
        {{#page.organization}}<p class="muted">{{page.organization}}</p>{{/page.organization}}
        {{#page.description}}<p>{{page.description}}</p>{{/page.description}}
        {{#page.ages}}<p><strong>{{label.ages}}:</strong> {{page.ages}}</p>{{/page.ages}}
        {{#page.fees}}<p><strong>{{label.fees}}:</strong> {{page.fees}}</p>{{/page.fees}}
        {{#page.applicationProcess}}<p><strong>{{label.how_to_apply}}:</strong> {{page.applicationProcess}}</p>{{/page.applicationProcess}}
        {{#has_hours}}<h2>{{label.hours}}</h2><dl class="hours">{{#hours}}<dt>{{day}}</dt><dd>{{spans}}</dd>{{/hours}}</dl>{{/has_hours}}
        {{#has_phones}}<h2>{{label.phones}}</h2><ul>{{#phones}}<li><a href="tel:{{dial}}">{{number}}</a></li>{{/phones}}</ul>{{/has_phones}}
        {{#page.email}}<p><strong>{{label.email}}:</strong> <a href="mailto:{{page.email}}">{{page.email}}</a></p>{{/page.email}}
        {{#website}}<p><strong>{{label.website}}:</strong> <a href="{{website}}" rel="nofollow">{{page.url}}</a></p>{{/website}}
        {{#places}}
        <section class="place">
        <h2>{{name}}</h2>
        {{#address}}<p>{{address}}{{#municipality}} ({{municipality}}){{/municipality}}</p>{{/address}}
        {{#has_hours}}<dl class="hours">{{#hours}}<dt>{{day}}</dt><dd>{{spans}}</dd>{{/hours}}</dl>{{/has_hours}}
        {{#phones}}<p><a href="tel:{{dial}}">{{number}}</a></p>{{/phones}}
        {{#transportation}}<p><strong>{{label.getting_there}}:</strong> {{transportation}}</p>{{/transportation}}
        {{#map}}<p><a href="{{map}}" rel="nofollow">{{label.map}}</a></p>{{/map}}
        </section>
        {{/places}}
        <details class="correction"><summary>{{label.report}}</summary>
        <p class="muted">{{label.report_intro}}</p>
        <form method="post" action="{{correction_action}}">
        <label class="wide">{{label.report_field}}<select name="field" required>{{#fields}}<option value="{{path}}">{{shown}}</option>{{/fields}}</select></label>
        <label class="wide">{{label.report_offered}}<input name="offered" required maxlength="1000"></label>
        <label class="wide">{{label.report_note}}<textarea name="note" maxlength="2000" rows="3"></textarea></label>
        <label class="wide">{{label.report_contact}}<input name="contact" maxlength="200"></label>
        <button type="submit">{{label.report_send}}</button>
        </form>
        </details>
        """

    static let corrected = """
        <h1>{{title}}</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#thanks}}<p>{{thanks}}</p>{{/thanks}}
        <p><a href="/directory/services/{{service_id}}?lang={{lang}}">← {{label.back_to_service}}</a></p>
        """

    static let problem = """
        <h1>{{title}}</h1>
        <p class="error" role="alert">{{error}}</p>
        <p><a href="/directory?lang={{lang}}">← {{label.back}}</a></p>
        """
}
