// Stripe's Payment Element on the add-a-payment-method page. The customer's card or
// bank details go from this page to Stripe (in Stripe's own frames); this script then
// confirms the SetupIntent whose client secret the page carries and, once Stripe says
// it succeeded, posts the SetupIntent's id (never a number) as "token" to the form's
// address, where Dropline attaches the saved method to the account. A confirmation
// that needs a redirect (some banks) comes back to this page with the SetupIntent in
// the address; the script posts it the same way. Words come from the page
// (data-message-*), in the customer's language.
(function () {
  "use strict";
  var form = document.getElementById("stripe-setup");
  if (!form) return;
  var data = form.dataset;
  var errorBox = document.getElementById("stripe-setup-error");
  var loading = document.getElementById("stripe-setup-loading");
  var submit = document.getElementById("stripe-setup-submit");
  var token = document.getElementById("stripe-setup-token");

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
    errorBox.focus();
    submit.disabled = false;
    submit.removeAttribute("aria-busy");
  }

  function post(setupIntentId) {
    token.value = setupIntentId;
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    form.submit();
  }

  // Back from a bank's page: Stripe adds the SetupIntent and its status to the address.
  var params = new URLSearchParams(window.location.search);
  if (params.get("setup_intent") && params.get("redirect_status") === "succeeded") {
    post(params.get("setup_intent"));
    return;
  }

  if (typeof window.Stripe !== "function" || !data.publishableKey || !data.clientSecret) {
    if (loading) loading.hidden = true;
    showError(data.messageUnavailable);
    submit.disabled = true;
    return;
  }

  var stripe = window.Stripe(data.publishableKey, { locale: data.locale || "auto" });
  var elements = stripe.elements({ clientSecret: data.clientSecret });
  var paymentElement = elements.create("payment", {
    wallets: { applePay: "never", googlePay: "never" },
    business: { name: document.title }
  });
  paymentElement.on("ready", function () {
    if (loading) loading.hidden = true;
    submit.disabled = false;
  });
  paymentElement.on("loaderror", function () {
    if (loading) loading.hidden = true;
    showError(data.messageUnavailable);
    submit.disabled = true;
  });
  paymentElement.mount("#stripe-payment-element");

  form.addEventListener("submit", function (event) {
    if (token.value) return; // already confirmed: let the post go
    event.preventDefault();
    errorBox.hidden = true;
    submit.disabled = true;
    submit.setAttribute("aria-busy", "true");
    stripe
      .confirmSetup({
        elements: elements,
        redirect: "if_required",
        confirmParams: { return_url: new URL(form.action, window.location.href).href }
      })
      .then(function (result) {
        if (result.error) {
          // Stripe's own words for a card problem (declined, wrong number) are in the
          // customer's language already; anything else gets ours.
          var known = result.error.type === "card_error" || result.error.type === "validation_error";
          showError(known && result.error.message ? result.error.message : data.messageFailed);
          return;
        }
        if (result.setupIntent && result.setupIntent.status === "succeeded") {
          post(result.setupIntent.id);
          return;
        }
        showError(data.messageFailed);
      })
      .catch(function () {
        showError(data.messageFailed);
      });
  });
})();
