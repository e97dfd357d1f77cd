/* The API docs page (templates/api/docs.html): starts Swagger UI as drf-spectacular's stock inline
   script does (drf_spectacular/swagger_ui.js), from a file, because the Content-Security-Policy runs
   no inline script. What the stock script had templated in comes from the page's data- attributes:
   the schema URL, Swagger UI's settings, the OAuth2 configuration, the authentication schemes whose
   credentials also fetch the schema, and the CSRF header for "Try it out" with the session. */
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || !window.SwaggerUIBundle) {
    return;
  }
  var data = element.dataset;
  function parsed(value, fallback) {
    try {
      return value ? JSON.parse(value) : fallback;
    } catch (error) {
      return fallback;
    }
  }
  var swaggerSettings = parsed(data.settings, {});
  var oauth2Config = parsed(data.oauth2Config, {});
  var schemaAuthNames = parsed(data.schemaAuthNames, []);
  var schemaAuthFailed = false;
  var ui = null;
  var plugins = [];

  function reloadSchema(original) {
    return function () {
      schemaAuthFailed = false;
      setTimeout(function () { ui.specActions.download(); });
      return original.apply(null, arguments);
    };
  }
  if (schemaAuthNames.length > 0) {
    plugins.push(function () {
      return {
        statePlugins: {
          auth: {
            wrapActions: { authorizeOauth2: reloadSchema, authorize: reloadSchema, logout: reloadSchema },
          },
        },
      };
    });
  }

  function isSchemaUrl(url) {
    return ui !== null && url === new URL(ui.getConfigs().url, document.baseURI).href;
  }

  function responseInterceptor(response) {
    if (!response.ok && isSchemaUrl(response.url) && !schemaAuthFailed) {
      // Retry once without credentials: a wrong token must not hide the whole schema.
      schemaAuthFailed = true;
      setTimeout(function () { ui.specActions.download(); });
    }
    return response;
  }

  function storedAuthorization() {
    if (ui !== null) {
      var state = ui.getState().get("auth").get("authorized");
      if (state !== undefined && Object.keys(state.toJS()).length !== 0) {
        return state.toJS();
      }
      return undefined;
    }
    if ([undefined, "{}"].indexOf(localStorage.authorized) === -1) {
      return JSON.parse(localStorage.authorized);
    }
    return undefined;
  }

  function injectAuthCredentials(request) {
    var authorized = storedAuthorization();
    if (authorized === undefined) {
      return;
    }
    for (var i = 0; i < schemaAuthNames.length; i += 1) {
      var auth = authorized[schemaAuthNames[i]];
      if (auth === undefined || auth.schema === undefined) {
        continue;
      }
      var schema = auth.schema;
      if (schema.type === "http" && schema.scheme === "bearer") {
        request.headers.Authorization = "Bearer " + auth.value;
        return;
      } else if (schema.type === "http" && schema.scheme === "basic") {
        request.headers.Authorization = "Basic " + btoa(auth.value.username + ":" + auth.value.password);
        return;
      } else if (schema.type === "apiKey" && schema.in === "header") {
        request.headers[schema.name] = auth.value;
        return;
      } else if (schema.type === "oauth2" && auth.token.token_type === "Bearer") {
        request.headers.Authorization = "Bearer " + auth.token.access_token;
        return;
      }
    }
  }

  function requestInterceptor(request) {
    if (request.loadSpec && schemaAuthNames.length > 0 && !schemaAuthFailed) {
      try {
        injectAuthCredentials(request);
      } catch (error) {
        console.error("schema auth injection failed with error: ", error);
      }
    }
    // Same-origin writes with the session need the CSRF token; GETs and other origins do not.
    if (["GET", undefined].indexOf(request.method) === -1 && request.credentials === "same-origin") {
      request.headers[data.csrfHeaderName] = data.csrfToken;
    }
    return request;
  }

  ui = window.SwaggerUIBundle(Object.assign({
    url: data.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    plugins: plugins,
    layout: "BaseLayout",
    requestInterceptor: requestInterceptor,
    responseInterceptor: responseInterceptor,
  }, swaggerSettings));
  if (Object.keys(oauth2Config).length > 0) {
    ui.initOAuth(oauth2Config);
  }
})();
