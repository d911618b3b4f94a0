// Swagger UI from the bundled copy (no CDN); kept out of docs.html so the CSP needs no inline script.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
