"use strict";
{# Swagger UI start-up for /api/docs/: read-only API, no credentials, no CSRF token (so no cookie). #}
const ui = SwaggerUIBundle({
  url: "{{ schema_url|escapejs }}",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  ...{{ settings|safe }},
});
