using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Sre.Host.Ui.Pages;

/// <summary><c>POST /ui/signout</c> ends the UI session (the cookie is deleted) and goes to the sign-in page.</summary>
public sealed class SignOutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(UiSetup.Scheme);
        return LocalRedirect(Url.Content("~/ui/signin"));
    }
}
