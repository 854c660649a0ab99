/**
 * Side effects of importing @snnts/functional: registers the built-in surrogates by name.
 */
import './surrogate/register.js';
