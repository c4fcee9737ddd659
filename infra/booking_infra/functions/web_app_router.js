// CloudFront Function (viewer request, cloudfront-js-2.0) on the web app's default behaviour.
// A path whose last segment has no file extension is one of the app's routes (/salons/42,
// /account/signup): it is answered with /index.html and the app's router decides. Files
// (/favicon.svg, /index.html) pass through, so a missing one stays S3's error. The API, the
// admin and health have their own behaviours and never reach this function, which is why it
// replaces distribution-wide custom error pages: those would also turn the API's JSON 404s
// into 200 HTML.
var FILE = /\.[A-Za-z0-9]{1,8}$/;

function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf("/") + 1);
  if (!FILE.test(last)) {
    request.uri = "/index.html";
  }
  return request;
}
