using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Sre.Host.Operations;

namespace Sre.Host.Ui.Pages;

/// <summary>
/// <c>GET /ui/signin</c> asks for an API key; <c>POST</c> with a known key that has the read scope signs in (cookie
/// <c>sre-ui</c>: HttpOnly, SameSite=Strict, 12 h sliding) and goes back to <c>returnUrl</c> (local URLs only). An
/// unknown key, or one without read, is answered 401 with the form and the reason.
/// </summary>
public sealed class SignInModel(ApiKeyStore keys) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? key)
    {
        var found = string.IsNullOrWhiteSpace(key) ? null : keys.Find(key.Trim());
        Error = found is null ? "That key is not known to this service."
            : !found.Scopes.Contains(Scopes.Read, StringComparer.OrdinalIgnoreCase) ? $"The key '{found.Name}' lacks the read scope the pages need."
            : null;
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await HttpContext.SignInAsync(UiSetup.Scheme, ApiKeyStore.Principal(found!, UiSetup.Scheme));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : Url.Content("~/ui/slos"));
    }
}
