"""Content-Security-Policy on the portal's responses (django-csp; the policy is
CONTENT_SECURITY_POLICY in ita_portal/settings.py)."""

from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, except on PDFs: Chrome shows a PDF in a page of its
    own made of an <embed> with inline styles, which the policy of the PDF's
    response would block (object-src 'none', style-src 'self'), leaving a grey box
    instead of the report (crbug.com/271452). A PDF runs no script of ours."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)
